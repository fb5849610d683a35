"""The examples in docs/partitions.md are the real files, not copies that drift:

- every `dts` block of "The default tree, annotated" and "The default tree's realm, annotated"
  is made of runs of consecutive lines of configs/qemu_virt_rme/partitions.dts (a line `...`
  separates runs), and together they show every line of the file after its header comment;
- the `images.list` example is the default build's (RAMPART_BUILD_DEFAULT, as `make check`
  builds it), with the build directory written as `build/`: the same images of the same
  partitions, loaded the same way from the same files, in the same order. Their staging
  addresses and sizes move with every change to a test guest, so they are not compared.
No QEMU: it lives here because it needs the default build.
"""
import os
import re

from conftest import REPO, _build_dir

DOC = REPO / "docs" / "partitions.md"
TREE = REPO / "configs" / "qemu_virt_rme" / "partitions.dts"
ELLIPSIS = "..."


def dts_blocks(text):
    return re.findall(r"^```dts\n(.*?)^```$", text, re.M | re.S)


def runs(block):
    """The block's runs of lines between `...` lines, blank lines at their ends dropped."""
    out, cur = [], []
    for line in block.splitlines() + [ELLIPSIS]:
        if line.strip() == ELLIPSIS:
            while cur and not cur[-1].strip():
                cur.pop()
            while cur and not cur[0].strip():
                cur.pop(0)
            if cur:
                out.append(cur)
            cur = []
        else:
            cur.append(line)
    return out


def find_run(lines, run):
    """Index of the first place where run occurs as consecutive lines of lines, or -1."""
    for i in range(len(lines) - len(run) + 1):
        if lines[i:i + len(run)] == run:
            return i
    return -1


def test_annotated_default_tree_is_the_file():
    lines = TREE.read_text().splitlines()
    body = lines.index("/dts-v1/;")
    blocks = dts_blocks(DOC.read_text())
    assert len(blocks) >= 2, "docs/partitions.md lost its annotated default tree"
    shown = set()
    for block in blocks[:2]:
        for run in runs(block):
            at = find_run(lines, run)
            assert at >= 0, "docs/partitions.md shows lines that configs/qemu_virt_rme/partitions.dts " \
                            "does not have in this order:\n" + "\n".join(run)
            shown.update(range(at, at + len(run)))
    missing = [lines[i] for i in range(body, len(lines)) if i not in shown and lines[i].strip()]
    assert not missing, "lines of the default tree that docs/partitions.md does not show:\n" + "\n".join(missing)


def test_images_list_example_is_the_default_build():
    build = _build_dir("RAMPART_BUILD_DEFAULT", "build/check/default")
    listing = build / "partitions" / "images.list"
    assert listing.is_file(), f"{listing} is missing: make O={os.path.relpath(build, REPO)} all"
    # partc names files as the build named them: O absolute, or relative to the repository.
    real = listing.read_text().replace(f"{build}/", "build/")
    real = real.replace(f"{os.path.relpath(build, REPO)}/", "build/").splitlines()
    doc = DOC.read_text()
    at = doc.index("    # partc image list")
    example = []
    for line in doc[at:].splitlines():
        if not line.startswith("    "):
            break
        example.append(line[4:])

    def shape(lines):
        """partition image load file of each line (pa and size left out), the header as is."""
        return [l if l.startswith("#") else " ".join(l.split()[:3] + l.split()[5:]) for l in lines]

    assert shape(example) == shape(real), "docs/partitions.md's images.list example should be:\n" + \
        "\n".join("    " + l for l in real)
