# make bench: measure qotd in the guest against tmpfs, /dev/zero and
# userspace; the report goes to build/bench/ (results.md, results.json,
# throughput.png). Figures only: a missed target shows as MISS, never as a
# failure.
#
# make bench-icount: the same with QEMU counting guest instructions instead
# of time (one CPU): figures that repeat exactly whatever the host is doing.

.PHONY: bench bench-icount

bench: deps
	@KERNEL=$(KERNEL) KDIR=$(KDIR) bench/run.sh

bench-icount: deps
	@QOTD_BENCH_ICOUNT=1 QOTD_BENCH_OUT=$(BUILD)/bench-icount QOTD_TIMEOUT=1200 \
		KERNEL=$(KERNEL) KDIR=$(KDIR) bench/run.sh
