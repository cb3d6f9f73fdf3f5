# SPDX-License-Identifier: GPL-2.0
#
# Turn qotd-bench records into results.json, results.md and a gnuplot script.
#
#   awk -v out=DIR -f report.awk CHANNEL_FILE
#
# Input: the guest's test channel; only "BENCH key=value ..." lines count.
# Output: DIR/results.json, DIR/results.md, DIR/throughput.gp (which draws
# DIR/throughput.png). Plain POSIX awk (Debian's default is mawk).

function num(s) { return s ~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/ }

function jstr(s) {
	gsub(/\\/, "\\\\", s)
	gsub(/"/, "\\\"", s)
	return "\"" s "\""
}

function jval(s) { return num(s) ? s + 0 : jstr(s) }

# 65536 -> "64 KiB"
function hsize(n) {
	if (n >= 1073741824 && n % 1073741824 == 0) return (n / 1073741824) " GiB"
	if (n >= 1048576 && n % 1048576 == 0) return (n / 1048576) " MiB"
	if (n >= 1024 && n % 1024 == 0) return (n / 1024) " KiB"
	return n " B"
}

function htime(ns) {
	if (ns == "") return "-"
	ns += 0
	if (ns < 1000) return sprintf("%.0f ns", ns)
	if (ns < 10000) return sprintf("%.2f µs", ns / 1000)
	if (ns < 1000000) return sprintf("%.1f µs", ns / 1000)
	if (ns < 10000000) return sprintf("%.2f ms", ns / 1000000)
	return sprintf("%.1f ms", ns / 1000000)
}

function tput(v) { return v == "" ? "-" : sprintf("%.0f", v) }

function ratio(a, b) { return (a == "" || b == "" || b == 0) ? "" : a / b }

function hratio(r) { return r == "" ? "-" : sprintf("%.2f", r) }

function get(test, subject, op, size, bs) {
	return val[test SUBSEP subject SUBSEP op SUBSEP size SUBSEP bs]
}

function addsize(list, v,    k) {
	if ((list SUBSEP v) in seen) return
	seen[list SUBSEP v] = 1
	k = ++count[list]
	item[list, k] = v
}

# Sort the numbers of list by value (insertion sort: the lists are short).
function sortlist(list,    i, j, t) {
	for (i = 2; i <= count[list]; i++) {
		t = item[list, i]
		for (j = i - 1; j >= 1 && item[list, j] + 0 > t + 0; j--)
			item[list, j + 1] = item[list, j]
		item[list, j + 1] = t
	}
}

function target(name, goal, value, pass, detail) {
	nt++
	tname[nt] = name
	tgoal[nt] = goal
	tvalue[nt] = value
	tstatus[nt] = value == "" ? "n/a" : (pass ? "PASS" : "MISS")
	tdetail[nt] = detail
}

function compare(name, size, bs, r) {
	if (r == "") return
	nc++
	cname[nc] = name
	csize[nc] = size
	cbs[nc] = bs
	cratio[nc] = r
}

$1 == "BENCH" {
	n++
	nkeys[n] = 0
	for (i = 2; i <= NF; i++) {
		eq = index($i, "=")
		if (!eq) continue
		k = substr($i, 1, eq - 1)
		v = substr($i, eq + 1)
		key[n, ++nkeys[n]] = k
		rv[n, k] = num(v) ? v + 0 : v
	}
	t = rv[n, "test"]
	if (t == "bulk" || t == "parallel") {
		op = t == "bulk" ? rv[n, "op"] : rv[n, "threads"]
		val[t SUBSEP rv[n, "subject"] SUBSEP op SUBSEP rv[n, "size"] SUBSEP rv[n, "bs"]] = rv[n, "value"]
		addsize(t "size", rv[n, "size"])
		addsize(t "bs", rv[n, "bs"])
	} else if (t == "small") {
		val["small" SUBSEP rv[n, "subject"]] = rv[n, "value"]
		addsize("smallsub", rv[n, "subject"])
	} else if (t == "setsize") {
		val["setsize" SUBSEP rv[n, "subject"] SUBSEP rv[n, "size"]] = rv[n, "value"]
		addsize("setsize", rv[n, "size"])
	} else if (t == "mmap") {
		val["mmap" SUBSEP rv[n, "subject"] SUBSEP rv[n, "size"] SUBSEP rv[n, "bs"]] = rv[n, "value"]
		addsize("mmapsize", rv[n, "size"])
		addsize("mmapbs", rv[n, "bs"])
	} else if (t == "fault") {
		val["fault" SUBSEP rv[n, "subject"]] = rv[n, "value"]
		faultsize = rv[n, "size"]
	} else if (t == "mem") {
		addsize("mem", rv[n, "alloc"] SUBSEP rv[n, "size"])
		memrec[rv[n, "alloc"] SUBSEP rv[n, "size"]] = n
	} else if (t == "info") {
		info = n
	} else if (t == "error") {
		errors = errors (errors == "" ? "" : "; ") rv[n, "what"]
	}
}

END {
	nh = split(host, hw, " ")
	for (i = 1; i <= nh; i++)
		if ((eq = index(hw[i], "=")))
			hostinfo[substr(hw[i], 1, eq - 1)] = substr(hw[i], eq + 1)
	sortlist("bulksize"); sortlist("bulkbs"); sortlist("setsize")
	sortlist("parallelbs"); sortlist("parallelsize")
	sortlist("mmapsize"); sortlist("mmapbs")

	# ---- comparisons and targets ------------------------------------------
	for (o = 1; o <= 2; o++) {
		op = o == 1 ? "read" : "write"
		worst = ""; cells = 0; ok = 0
		for (i = 1; i <= count["bulksize"]; i++) {
			s = item["bulksize", i]
			for (j = 1; j <= count["bulkbs"]; j++) {
				b = item["bulkbs", j]
				r = ratio(get("bulk", "qotd", op, s, b), get("bulk", "tmpfs", op, s, b))
				if (r == "") continue
				compare("bulk-" op "-qotd/tmpfs", s, b, r)
				cells++
				if (r >= 0.95) ok++
				if (worst == "" || r < worst) { worst = r; ws = s; wb = b }
			}
		}
		target("bulk " op " ≥ 0.95 × tmpfs", "≥ 0.95", worst, worst != "" && worst >= 0.95,
		       worst == "" ? "no data" : sprintf("worst %.2f (%s buffer, %s blocks); %d of %d cells ≥ 0.95",
							   worst, hsize(ws), hsize(wb), ok, cells))
	}

	r = ratio(val["small" SUBSEP "qotd-pread1"], val["small" SUBSEP "zero-pread1"])
	target("1-byte pread ≤ 1.2 × /dev/zero", "≤ 1.2", r, r != "" && r <= 1.2,
	       r == "" ? "no data" : sprintf("%s against %s", htime(val["small" SUBSEP "qotd-pread1"]),
					     htime(val["small" SUBSEP "zero-pread1"])))
	compare("small-pread1-qotd/zero", 1, 1, r)
	compare("small-getsize-qotd/zero", 0, 0,
		ratio(val["small" SUBSEP "qotd-getsize"], val["small" SUBSEP "zero-pread1"]))

	worst = ""; cells = 0; ok = 0
	for (i = 1; i <= count["setsize"]; i++) {
		s = item["setsize", i]
		r = ratio(val["setsize" SUBSEP "qotd" SUBSEP s], val["setsize" SUBSEP "calloc" SUBSEP s])
		if (r == "") continue
		compare("setsize-qotd/calloc", s, 0, r)
		compare("setsize-qotd/movsb", s, 0,
			ratio(val["setsize" SUBSEP "qotd" SUBSEP s], val["setsize" SUBSEP "movsb" SUBSEP s]))
		cells++
		if (r <= 1.2) ok++
		if (worst == "" || r > worst) { worst = r; ws = s }
	}
	target("set size ≤ 1.2 × calloc + memcpy", "≤ 1.2", worst, worst != "" && worst <= 1.2,
	       worst == "" ? "no data" : sprintf("worst %.2f at %s; %d of %d sizes ≤ 1.2", worst, hsize(ws), ok, cells))

	worst = ""; detail = ""
	for (j = 1; j <= count["parallelbs"]; j++) {
		b = item["parallelbs", j]
		for (i = 1; i <= count["parallelsize"]; i++) {
			s = item["parallelsize", i]
			r = ratio(get("parallel", "qotd", 2, s, b), get("parallel", "qotd", 1, s, b))
			if (r == "") continue
			compare("parallel-qotd-2/1", s, b, r)
			compare("parallel-tmpfs-2/1", s, b, ratio(get("parallel", "tmpfs", 2, s, b), get("parallel", "tmpfs", 1, s, b)))
			compare("parallel-memcpy-2/1", s, b, ratio(get("parallel", "memcpy", 2, s, b), get("parallel", "memcpy", 1, s, b)))
			if (worst == "" || r < worst) worst = r
			detail = detail (detail == "" ? "" : "; ") sprintf("%s blocks %.2f (tmpfs %s, memcpy %s)", hsize(b), r,
				hratio(ratio(get("parallel", "tmpfs", 2, s, b), get("parallel", "tmpfs", 1, s, b))),
				hratio(ratio(get("parallel", "memcpy", 2, s, b), get("parallel", "memcpy", 1, s, b))))
		}
	}
	# Userspace threads copying one shared buffer: what the machine allows.
	mref = ""
	for (j = 1; j <= count["parallelbs"]; j++)
		for (i = 1; i <= count["parallelsize"]; i++) {
			r = ratio(get("parallel", "memcpy", 2, item["parallelsize", i], item["parallelbs", j]),
				  get("parallel", "memcpy", 1, item["parallelsize", i], item["parallelbs", j]))
			if (r != "" && (mref == "" || r > mref)) mref = r
		}
	if (worst != "" && mref != "" && mref < 1.8)
		detail = detail sprintf("; userspace memcpy threads scaled at best %.2f: the host did not give the guest two free CPUs, so this run cannot judge the target", mref)
	target("2 readers ≥ 1.8 × 1 reader", "≥ 1.8", worst, worst != "" && worst >= 1.8,
	       worst == "" ? "no data" : detail)

	m = memrec["auto" SUBSEP 128]
	if (m) {
		d = rv[m, "driver"]; k = rv[m, "kernel"]
		v = d > k ? d : k
		target("128-byte quotation ≤ 256 B under alloc=auto", "≤ 256 B", v, v <= 256,
		       sprintf("driver says %d B, slab/meminfo deltas say %d B per instance", d, k))
	} else
		target("128-byte quotation ≤ 256 B under alloc=auto", "≤ 256 B", "", 0, "no data")

	worst = ""; cells = 0
	for (i = 1; i <= count["mmapsize"]; i++)
		for (j = 1; j <= count["mmapbs"]; j++) {
			s = item["mmapsize", i]; b = item["mmapbs", j]
			r = ratio(val["mmap" SUBSEP "qotd-mmap" SUBSEP s SUBSEP b],
				  val["mmap" SUBSEP "memcpy" SUBSEP s SUBSEP b])
			if (r == "") continue
			compare("mmap-read-qotd/memcpy", s, b, r)
			cells++
			if (worst == "" || r < worst) { worst = r; ws = s; wb = b }
		}
	target("mapped read ≥ 0.95 × memcpy", "≥ 0.95", worst, worst != "" && worst >= 0.95,
	       worst == "" ? "no data" : sprintf("worst %.2f (%s buffer, %s blocks) of %d cells",
						   worst, hsize(ws), hsize(wb), cells))
	r = ratio(val["fault" SUBSEP "qotd"], val["fault" SUBSEP "tmpfs"])
	target("first touch ≤ 1.2 × tmpfs", "≤ 1.2", r, r != "" && r <= 1.2,
	       r == "" ? "no data" : sprintf("%s against %s per page (%s mapping)",
					     htime(val["fault" SUBSEP "qotd"]),
					     htime(val["fault" SUBSEP "tmpfs"]), hsize(faultsize)))
	compare("fault-qotd/tmpfs", faultsize, 4096, r)

	write_json(out "/results.json")
	write_md(out "/results.md")
	write_gp(out "/throughput.gp", out "/throughput.png")
	if (!n) exit 1
}

function write_json(f,    i, j, sep, t, tests, first) {
	print "{" > f
	printf "  \"host\": {" > f
	sep = ""
	for (i = 1; i <= nh; i++)
		if ((eq = index(hw[i], "="))) {
			printf "%s%s: %s", sep, jstr(substr(hw[i], 1, eq - 1)), jval(substr(hw[i], eq + 1)) > f
			sep = ", "
		}
	print "}," > f
	printf "  \"records\": {\n" > f
	split("info bulk small setsize parallel mem mmap fault phase error", tests, " ")
	for (t = 1; t <= 10; t++) {
		printf "    %s: [", jstr(tests[t]) > f
		first = 1
		for (i = 1; i <= n; i++) {
			if (rv[i, "test"] != tests[t]) continue
			printf "%s\n      {", first ? "" : "," > f
			first = 0
			sep = ""
			for (j = 1; j <= nkeys[i]; j++) {
				if (key[i, j] == "test") continue
				printf "%s%s: %s", sep, jstr(key[i, j]), jval(rv[i, key[i, j]]) > f
				sep = ", "
			}
			printf "}" > f
		}
		printf "%s]%s\n", first ? "" : "\n    ", t < 10 ? "," : "" > f
	}
	print "  }," > f
	print "  \"comparisons\": [" > f
	for (i = 1; i <= nc; i++)
		printf "    {\"name\": %s, \"size\": %d, \"bs\": %d, \"ratio\": %.4f}%s\n",
		       jstr(cname[i]), csize[i], cbs[i], cratio[i], i < nc ? "," : "" > f
	print "  ]," > f
	print "  \"targets\": [" > f
	for (i = 1; i <= nt; i++)
		printf "    {\"target\": %s, \"goal\": %s, \"value\": %s, \"status\": %s, \"detail\": %s}%s\n",
		       jstr(tname[i]), jstr(tgoal[i]), tvalue[i] == "" ? "null" : sprintf("%.4f", tvalue[i]),
		       jstr(tstatus[i]), jstr(tdetail[i]), i < nt ? "," : "" > f
	print "  ]" > f
	print "}" > f
	close(f)
}

function write_md(f,    i, j, s, b, o, op, r, a, k, subj, m, any) {
	print "# qotd benchmark results" > f
	print "" > f
	if (info)
		printf "Guest kernel %s, %d CPU(s), software-emulated (QEMU TCG): compare the ratios, not the absolute figures. Each figure is the median of %d samples (%s above %s; memory: %s module loads), the things compared sampled in turn in the same run.\n\n",
		       rv[info, "kernel"], rv[info, "cpus"], rv[info, "reps"], rv[info, "big_reps"] == "" ? "?" : rv[info, "big_reps"],
		       rv[info, "ref_max"] == "" ? "?" : hsize(rv[info, "ref_max"]), rv[info, "mem_reps"] == "" ? "?" : rv[info, "mem_reps"] > f
	if (info && rv[info, "init_on_alloc"] != "")
		printf "Kernel command line init_on_alloc=%s (Debian's default is 1: the kernel zeroes every allocation).\n\n",
		       rv[info, "init_on_alloc"] > f
	if (hostinfo["icount"] == 1)
		printf "**Instruction-count mode** (QEMU -icount shift=0, one CPU): every \"ns\" below is one guest instruction and every figure is exactly reproducible; a rep movsb counts one instruction per byte, memory costs nothing.\n\n" > f
	else if (nh) {
		printf "Host: %d CPU(s), load average %s before the run and %s after it (%s s)", hostinfo["cpus"],
		       hostinfo["load_before"], hostinfo["load_after"], hostinfo["seconds"] > f
		if (hostinfo["load_before"] + 0 > 0.5 || hostinfo["load_after"] + 0 > hostinfo["cpus"] + 0.5)
			printf ": other work competed with the guest's CPUs, so expect noise" > f
		printf ".\n\n" > f
	}
	if (errors != "")
		printf "**The benchmark stopped early:** %s\n\n", errors > f

	print "## Targets" > f
	print "" > f
	print "| target | measured | status | detail |" > f
	print "|---|---|---|---|" > f
	for (i = 1; i <= nt; i++)
		printf "| %s | %s | %s | %s |\n", tname[i],
		       tvalue[i] == "" ? "-" : (tname[i] ~ /bytes|B under/ ? sprintf("%d B", tvalue[i]) : sprintf("%.2f", tvalue[i])),
		       tstatus[i], tdetail[i] > f
	print "" > f

	for (o = 1; o <= 2; o++) {
		op = o == 1 ? "read" : "write"
		printf "## Bulk %s throughput (MiB/s)\n\n", op > f
		if (op == "read") {
			print "| buffer | block | qotd | tmpfs | qotd/tmpfs | /dev/zero | memcpy | rep movsb |" > f
			print "|---:|---:|---:|---:|---:|---:|---:|---:|" > f
		} else {
			print "| buffer | block | qotd | tmpfs | qotd/tmpfs | memcpy | rep movsb |" > f
			print "|---:|---:|---:|---:|---:|---:|---:|" > f
		}
		for (i = 1; i <= count["bulksize"]; i++) {
			s = item["bulksize", i]
			for (j = 1; j <= count["bulkbs"]; j++) {
				b = item["bulkbs", j]
				if (get("bulk", "tmpfs", op, s, b) == "" && get("bulk", "qotd", op, s, b) == "") continue
				printf "| %s | %s | %s | %s | %s |", hsize(s), hsize(b),
				       tput(get("bulk", "qotd", op, s, b)), tput(get("bulk", "tmpfs", op, s, b)),
				       hratio(ratio(get("bulk", "qotd", op, s, b), get("bulk", "tmpfs", op, s, b))) > f
				if (op == "read")
					printf " %s |", tput(get("bulk", "zero", op, s, b)) > f
				printf " %s | %s |\n", tput(get("bulk", "memcpy", op, s, b)),
				       tput(get("bulk", "movsb", op, s, b)) > f
			}
		}
		print "" > f
	}

	print "## Cost of one call" > f
	print "" > f
	print "| call | time | × 1-byte pread of /dev/zero |" > f
	print "|---|---:|---:|" > f
	for (i = 1; i <= count["smallsub"]; i++) {
		subj = item["smallsub", i]
		printf "| %s | %s | %s |\n", subj, htime(val["small" SUBSEP subj]),
		       hratio(ratio(val["small" SUBSEP subj], val["small" SUBSEP "zero-pread1"])) > f
	}
	print "" > f

	print "## Set size (QOTDIOCSSZ from N to N bytes)" > f
	print "" > f
	print "| size | qotd | calloc + memcpy + free | qotd/calloc | memset + memcpy, reused | rep stosb + rep movsb, reused | qotd/movsb |" > f
	print "|---:|---:|---:|---:|---:|---:|---:|" > f
	for (i = 1; i <= count["setsize"]; i++) {
		s = item["setsize", i]
		printf "| %s | %s | %s | %s | %s | %s | %s |\n", hsize(s),
		       htime(val["setsize" SUBSEP "qotd" SUBSEP s]), htime(val["setsize" SUBSEP "calloc" SUBSEP s]),
		       hratio(ratio(val["setsize" SUBSEP "qotd" SUBSEP s], val["setsize" SUBSEP "calloc" SUBSEP s])),
		       htime(val["setsize" SUBSEP "reuse" SUBSEP s]), htime(val["setsize" SUBSEP "movsb" SUBSEP s]),
		       hratio(ratio(val["setsize" SUBSEP "qotd" SUBSEP s], val["setsize" SUBSEP "movsb" SUBSEP s])) > f
	}
	print "" > f

	print "## Parallel readers, one instance (aggregate MiB/s)" > f
	print "" > f
	if (!count["parallelbs"]) {
		print "Not measured in this run.\n" > f
		return write_md_mem(f)
	}
	print "| reader | buffer | block | 1 thread | 2 threads | 2/1 |" > f
	print "|---|---:|---:|---:|---:|---:|" > f
	for (k = 1; k <= 3; k++) {
		subj = k == 1 ? "qotd" : (k == 2 ? "tmpfs" : "memcpy")
		for (i = 1; i <= count["parallelsize"]; i++) {
			s = item["parallelsize", i]
			for (j = 1; j <= count["parallelbs"]; j++) {
				b = item["parallelbs", j]
				if (get("parallel", subj, 1, s, b) == "") continue
				printf "| %s | %s | %s | %s | %s | %s |\n", subj, hsize(s), hsize(b),
				       tput(get("parallel", subj, 1, s, b)), tput(get("parallel", subj, 2, s, b)),
				       hratio(ratio(get("parallel", subj, 2, s, b), get("parallel", subj, 1, s, b))) > f
			}
		}
	}
	print "" > f
	write_md_mem(f)
}

# The mapping section; printed just before the memory one, on every path.
function write_md_mmap(f,    i, j, s, b) {
	print "## Reading through a mapping (MiB/s), alloc=umem" > f
	print "" > f
	if (!count["mmapsize"]) {
		print "Not measured in this run.\n" > f
		return
	}
	print "| buffer | block | memcpy from a qotd mapping | pread of qotd | memcpy from a tmpfs mapping | mapping/memcpy |" > f
	print "|---:|---:|---:|---:|---:|---:|" > f
	for (i = 1; i <= count["mmapsize"]; i++)
		for (j = 1; j <= count["mmapbs"]; j++) {
			s = item["mmapsize", i]; b = item["mmapbs", j]
			if (val["mmap" SUBSEP "qotd-mmap" SUBSEP s SUBSEP b] == "") continue
			printf "| %s | %s | %s | %s | %s | %s |\n", hsize(s), hsize(b),
			       tput(val["mmap" SUBSEP "qotd-mmap" SUBSEP s SUBSEP b]),
			       tput(val["mmap" SUBSEP "qotd-read" SUBSEP s SUBSEP b]),
			       tput(val["mmap" SUBSEP "memcpy" SUBSEP s SUBSEP b]),
			       hratio(ratio(val["mmap" SUBSEP "qotd-mmap" SUBSEP s SUBSEP b],
					    val["mmap" SUBSEP "memcpy" SUBSEP s SUBSEP b])) > f
		}
	print "" > f
	if (val["fault" SUBSEP "qotd"] != "")
		printf "First touch of a fresh %s mapping, per page (mmap, one load per page, munmap): qotd %s, tmpfs file %s (%s).\n\n",
		       hsize(faultsize), htime(val["fault" SUBSEP "qotd"]), htime(val["fault" SUBSEP "tmpfs"]),
		       hratio(ratio(val["fault" SUBSEP "qotd"], val["fault" SUBSEP "tmpfs"])) > f
}

function write_md_mem(f,    i, m, any) {
	write_md_mmap(f)
	print "## Kernel memory per instance (bytes)" > f
	print "" > f
	print "| alloc | size | driver's `allocated` | slab objects | kmalloc_large pages | vmalloc | measured total | measured/driver | MemFree drop | kmalloc-cg caches: objects/slab pages |" > f
	print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|" > f
	for (i = 1; i <= count["mem"]; i++) {
		m = memrec[item["mem", i]]
		printf "| %s | %s | %d | %d | %d | %d | %d | %s | %d | %s |\n", rv[m, "alloc"], hsize(rv[m, "size"]),
		       rv[m, "driver"], rv[m, "slab_obj"], rv[m, "large"], rv[m, "vmalloc"], rv[m, "kernel"],
		       hratio(ratio(rv[m, "kernel"], rv[m, "driver"])), rv[m, "memfree"], rv[m, "caches"] > f
	}
	print "" > f
	any = 0
	for (i = 1; i <= n; i++)
		if (rv[i, "test"] == "phase") {
			if (!any) printf "Phase times in the guest:" > f
			printf "%s %s %.0f s", any ? "," : "", rv[i, "subject"], rv[i, "value"] > f
			any = 1
		}
	if (any) print "." > f
	close(f)
}

# One line per subject for one buffer size and direction, as a datablock.
function datablock(f, name, op, subj, s,    j, b, v, c) {
	c = 0
	for (j = 1; j <= count["bulkbs"]; j++) {
		b = item["bulkbs", j]
		v = get("bulk", subj, op, s, b)
		if (v == "") continue
		if (!c++) printf "$%s << EOD\n", name > f
		printf "%d %s\n", b / 1024, v > f
	}
	if (c) print "EOD" > f
	return c
}

function write_gp(f, png,    i, s, ref, big, o, op, k, subj, plot, have, titles, styles) {
	# The reference size: the largest with /dev/zero figures; big: the largest.
	for (i = 1; i <= count["bulksize"]; i++) {
		s = item["bulksize", i]
		for (j = 1; j <= count["bulkbs"]; j++)
			if (get("bulk", "zero", "read", s, item["bulkbs", j]) != "") ref = s
		big = s
	}
	if (big == ref) big = ""
	split("qotd tmpfs zero memcpy movsb", subs, " ")
	titles["qotd"] = "qotd"; titles["tmpfs"] = "tmpfs file"; titles["zero"] = "/dev/zero"
	titles["memcpy"] = "memcpy (glibc)"; titles["movsb"] = "rep movsb (userspace)"
	styles["qotd"] = "lw 3 lc rgb '#c0392b' pt 7"
	styles["tmpfs"] = "lw 2 lc rgb '#2471a3' pt 5"
	styles["zero"] = "lw 2 lc rgb '#7f8c8d' pt 9"
	styles["memcpy"] = "lw 1 lc rgb '#27ae60' pt 3 dt 2"
	styles["movsb"] = "lw 1 lc rgb '#8e44ad' pt 2 dt 2"

	print "# Generated by bench/report.awk: throughput against block size." > f
	printf "set terminal pngcairo size 1400,560 font 'sans,10'\nset output '%s'\n", png > f
	print "set logscale x 2\nset xlabel 'block size (KiB)'\nset ylabel 'MiB/s (median, log scale)'" > f
	print "set logscale y\nset grid\nset key top left" > f
	printf "set multiplot layout 1,2 title 'qotd under QEMU TCG (ratios matter, not absolute speed)'\n" > f
	for (o = 1; o <= 2; o++) {
		op = o == 1 ? "read" : "write"
		plot = ""
		for (k = 1; k <= 5; k++) {
			subj = subs[k]
			if (ref != "" && datablock(f, op "_" subj "_ref", op, subj, ref))
				plot = plot (plot == "" ? "" : ", ") sprintf("$%s_%s_ref with linespoints %s title '%s, %s buffer'",
					op, subj, styles[subj], titles[subj], hsize(ref))
			if (big != "" && (subj == "qotd" || subj == "tmpfs") && datablock(f, op "_" subj "_big", op, subj, big))
				plot = plot (plot == "" ? "" : ", ") sprintf("$%s_%s_big with linespoints %s dt 3 title '%s, %s buffer'",
					op, subj, styles[subj], titles[subj], hsize(big))
		}
		printf "set title 'bulk %s'\n", op > f
		if (plot == "")
			print "set label 1 'no data' at graph 0.5,0.5 center\nplot NaN notitle\nunset label 1" > f
		else
			print "plot " plot > f
	}
	print "unset multiplot" > f
	close(f)
}
