"""tools/bench.py's parsing, table and JSON, fed with output recorded from QEMU runs
(tests/host/bench/): no QEMU and no timing here. Every row of the table is present, whatever
was measured; a row that could not be measured says why."""
import importlib.util
import json
import pathlib

REPO = pathlib.Path(__file__).resolve().parents[2]
SAMPLES = pathlib.Path(__file__).resolve().parent / "bench"
spec = importlib.util.spec_from_file_location("bench", REPO / "tools" / "bench.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def sample(name):
    return (SAMPLES / name).read_text()


def recorded():
    r = bench.parse_partition(sample("partition.log"), "bench")
    r.update(bench.parse_bare(sample("bare.log")))
    r.update(bench.parse_realm(sample("realm.log"), "rbench"))
    r["linux_vm_entry_to_init"] = bench.parse_linux(sample("linux-vm.log"), "blinux")["entry_to_init"]
    r["linux_bare_entry_to_init"] = bench.parse_linux_bare(sample("linux-bare.log"))
    r.update(bench.parse_sizes(sample("size.txt")))
    return bench.derive(r)


def test_partition_and_bare_lines():
    r = recorded()
    assert r["reset_to_first_partition"] == 1283669
    assert r["hyp_boot_work"] == 1278932 - 1222090
    assert (r["guest_hvc"], r["guest_gicd_read"], r["sgi_latency"]) == (80, 190, 522)
    assert (r["bare_vtimer_wfi"], r["bare_vtimer_poll"], r["bare_spi"], r["bare_gicd_read"]) == (15, 14, 17, 2)
    # "added" is the partition's figure less bare metal's, for the same section of the guest.
    assert r["vtimer_wfi_added"] == 181 - 15
    assert r["vtimer_poll_added"] == 183 - 14
    assert r["spi_added"] == 209 - 17


def test_linux_spans_and_ratio():
    r = recorded()
    # benchinit's counter at "Run /init", less the counter at the kernel's entry (bare: reset, 0).
    assert r["linux_vm_entry_to_init"] == 692974159 - 14266553
    assert r["linux_bare_entry_to_init"] == 688892810
    assert r["linux_vm_over_bare"] == (692974159 - 14266553) / 688892810


def test_realm_and_sizes():
    r = recorded()
    assert (r["realm_host_call"], r["realm_vuart_write"], r["realm_gicd_read"], r["realm_vtimer_latency"]) == (
        3756, 2831, 2811, 12311)
    assert (r["size_monitor"], r["size_rmm"], r["size_hyp"]) == (92424 + 40, 98032 + 32, 59736 + 4)
    assert r["size_total"] == r["size_monitor"] + r["size_rmm"] + r["size_hyp"]


def test_every_row_with_status():
    r = recorded()
    rows = bench.table_rows(r, {"smccc_version": "nstest did not start"})
    assert [x["name"] for x in rows] == [name for name, *_ in bench.ROWS]
    by = {x["name"]: x for x in rows}
    assert by["guest_hvc"]["status"] == "met"  # 80 <= 100
    assert by["guest_gicd_read"]["status"] == "over"  # 190 > 150
    assert by["spi_added"]["status"] == "met"
    assert by["linux_vm_over_bare"]["status"] == "met" and by["linux_vm_over_bare"]["unit"] == "ratio"
    assert by["bare_vtimer_wfi"]["status"] == "reported"
    assert by["smccc_version"]["status"] == "not measured: nstest did not start"
    # A derived row names what it lacked, or the failure of the run that should have given it.
    assert by["linux_realm_over_vm"]["status"] == "not measured: needs linux_realm_entry_to_init"
    rows = bench.table_rows(r, {"linux_realm_entry_to_init": "timed out"})
    assert {x["name"]: x for x in rows}["linux_realm_over_vm"]["status"] == "not measured: timed out"


def test_table_and_json_agree():
    rows = bench.table_rows(recorded(), {})
    table = bench.format_table(rows).splitlines()
    assert table[0].split() == ["path", "instructions", "target", "status"]
    assert len(table) == len(bench.ROWS) + 1
    gicd = next(line for line in table if line.startswith("trapped GICD register read"))
    assert gicd.split()[-3:] == ["<=", "150", "over"] and " 190 " in gicd
    ratio = next(line for line in table if line.startswith("Linux partition entry"))
    assert "0.9852x" in ratio and "<= 1.0200x" in ratio
    doc = json.loads(bench.to_json(rows, {"seed": bench.BENCH_SEED}))
    assert doc["meta"]["seed"] == bench.BENCH_SEED
    assert [x["name"] for x in doc["rows"]] == [name for name, *_ in bench.ROWS]
    assert {x["name"]: x["value"] for x in doc["rows"]}["guest_gicd_read"] == 190


def test_guest_failure_is_the_reason():
    text = sample("partition.log").replace("[bench] bench sgi_latency 522", "[bench] bench sgi_latency: 2 of 4 SGIs")
    r = bench.parse_partition(text, "bench")
    assert "sgi_latency" not in r
    assert r["_reasons"] == {"sgi_latency": "the guest says: 2 of 4 SGIs"}
    rows = {x["name"]: x for x in bench.table_rows(r, r.pop("_reasons"))}
    assert rows["sgi_latency"]["status"] == "not measured: the guest says: 2 of 4 SGIs"
    assert rows["guest_hvc"]["status"] == "met"
