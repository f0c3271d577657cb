# SPDX-License-Identifier: GPL-2.0
#
# Reads dev_mshv.txt.const then dev_mshv.txt (syzkaller syntax) and prints
# either (mode=c) a C program that prints what the uAPI header says, or
# (mode=expect) what the descriptions say, in the same line format:
#
#   const NAME VALUE            a constant (decimal, as an unsigned 64-bit)
#   size STRUCT BYTES           sizeof(struct STRUCT)
#   offset STRUCT.FIELD BYTES   offsetof(struct STRUCT, FIELD)
#   fsize STRUCT.FIELD BYTES    sizeof the field (not for flexible arrays)
#   ioctl CALL dir D size N     _IOC_DIR and _IOC_SIZE of the call's number
#   bits SET V...               the values of flag set SET
#
# Struct layout follows syzkaller: intN are N/8 bytes, pointers and vmas
# 8, fds 4, natural alignment unless [packed]; array[T] without a count
# is a flexible array member.  mawk-compatible (no gawk extensions).

function hex2num(s,    i, c, v) {
	v = 0
	s = tolower(s)
	for (i = 3; i <= length(s); i++) {
		c = index("0123456789abcdef", substr(s, i, 1)) - 1
		v = v * 16 + c
	}
	return v
}

function num(s) {
	gsub(/[ \t]/, "", s)
	if (s ~ /^0[xX][0-9a-fA-F]+$/)
		return hex2num(s)
	if (s ~ /^[0-9]+$/)
		return s + 0
	if (s in cval)
		return cval[s] + 0
	if (mode != "c")
		bad = bad "unknown constant " s "\n"
	return 0
}

# Split "a, b[c, d], e" at top-level commas into parts[1..n].
function split_args(s, parts,    i, c, depth, n, cur) {
	n = 0
	depth = 0
	cur = ""
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (c == "[")
			depth++
		else if (c == "]")
			depth--
		if (c == "," && depth == 0) {
			parts[++n] = trim(cur)
			cur = ""
		} else {
			cur = cur c
		}
	}
	if (trim(cur) != "")
		parts[++n] = trim(cur)
	return n
}

function trim(s) {
	sub(/^[ \t]+/, "", s)
	sub(/[ \t]+$/, "", s)
	return s
}

function base_of(t,    i) {
	i = index(t, "[")
	return i ? substr(t, 1, i - 1) : t
}

function args_of(t,    i) {
	i = index(t, "[")
	return i ? substr(t, i + 1, length(t) - i - 1) : ""
}

function int_size(b) {
	if (b == "int8")
		return 1
	if (b == "int16")
		return 2
	if (b == "int32")
		return 4
	if (b == "int64" || b == "intptr")
		return 8
	return 0
}

# Sets tsize, talign and tvar (flexible) for type t.
function layout(t,    b, a, n, p, cnt) {
	tvar = 0
	b = base_of(t)
	if (int_size(b)) {
		tsize = talign = int_size(b)
		return
	}
	if (b == "const" || b == "flags" || b == "len" || b == "bytesize" ||
	    b == "bitsize") {
		n = split_args(args_of(t), p)
		tsize = talign = n >= 2 ? int_size(p[2]) : 8
		return
	}
	if (b == "ptr" || b == "ptr64" || b == "vma" || b == "vma64") {
		tsize = talign = 8
		return
	}
	if (b ~ /^fd/) {
		tsize = talign = 4
		return
	}
	if (b == "array") {
		n = split_args(args_of(t), p)
		layout(p[1])
		if (n < 2 || p[2] ~ /:/) {
			tsize = 0
			tvar = 1
			return
		}
		cnt = num(p[2])
		tsize = tsize * cnt
		return
	}
	if (b in ssize) {
		tsize = ssize[b]
		talign = salign[b]
		return
	}
	if (mode != "c")
		bad = bad "unknown type " t "\n"
	tsize = talign = 1
}

# Uppercase identifiers used as constants on this line.
function collect_consts(line,    s, tok) {
	s = line
	gsub(/"[^"]*"/, "", s)
	gsub(/\$[A-Za-z0-9_]+/, "", s)
	while (match(s, /[A-Z][A-Z0-9_]+/)) {
		tok = substr(s, RSTART, RLENGTH)
		if (!(tok in used)) {
			used[tok] = 1
			order[++nused] = tok
		}
		s = substr(s, RSTART + RLENGTH)
	}
}

BEGIN {
	if (mode == "c") {
		print "#include <stddef.h>"
		print "#include <stdio.h>"
		print "#include <fcntl.h>"
		print "#include <linux/ioctl.h>"
		print "#include <linux/mshv.h>"
		print "#include \"hyperv.h\""
		print ""
		print "int main(void)"
		print "{"
	}
}

# dev_mshv.txt.const: "NAME = value" (one arch) or "NAME = arch:value".
FNR == NR {
	if ($0 ~ /^[A-Za-z_][A-Za-z0-9_]* = /) {
		v = $3
		sub(/^.*:/, "", v)
		cval[$1] = v
	}
	next
}

/^# syz-check bits / {
	bits_name[$4] = 1
	s = ""
	for (i = 5; i <= NF; i++)
		s = s (i > 5 ? " " : "") $i
	bits_of[$4] = s
	next
}
/^# syz-check size-differs/ { size_differs = 1; next }
/^#/ || /^[ \t]*$/ || /^include / || /^resource / { next }

{ collect_consts($0) }

# A flag set: NAME = v, v, ...
/^[a-z_][a-z0-9_]* = / {
	name = $1
	if (name in bits_name) {
		line = $0
		sub(/^[^=]*= */, "", line)
		n = split_args(line, p)
		if (mode == "c") {
			k = split(bits_of[name], bb, " ")
			printf "\tprintf(\"bits %s\");\n", name
			for (i = 1; i <= k; i++)
				printf "\tprintf(\" %%llu\", 1ULL << %s);\n", bb[i]
			print "\tprintf(\"\\n\");"
		} else {
			s = "bits " name
			for (i = 1; i <= n; i++)
				s = s " " num(p[i])
			print s
		}
	}
	next
}

# ioctl$NAME(fd T, cmd const[CMD][, arg ptr[DIR, STRUCT]]) [RET]: after
# the structs, which come later in the file.
/^ioctl\$/ {
	ioctl_line[++nioctl] = $0
	ioctl_differs[nioctl] = size_differs
	size_differs = 0
	next
}

function do_ioctl(line, differs,    call, cmd, a, d, st, dir, size) {
	call = line
	sub(/\(.*/, "", call)
	sub(/^ioctl\$/, "", call)
	cmd = line
	sub(/^.*cmd const\[/, "", cmd)
	sub(/\].*/, "", cmd)
	dir = 0
	size = 0
	if (line ~ /arg ptr\[/) {
		a = line
		sub(/^.*arg ptr\[/, "", a)
		d = a
		sub(/,.*/, "", d)
		st = a
		sub(/^[a-z]+, */, "", st)
		sub(/\].*/, "", st)
		dir = d == "in" ? 1 : d == "out" ? 2 : 3
		layout(st)
		size = tsize
	}
	if (mode == "c") {
		if (differs)
			printf "\tprintf(\"ioctl %s dir %%u\\n\", (unsigned int)_IOC_DIR(%s));\n", call, cmd
		else
			printf "\tprintf(\"ioctl %s dir %%u size %%u\\n\", (unsigned int)_IOC_DIR(%s), (unsigned int)_IOC_SIZE(%s));\n", call, cmd, cmd
	} else {
		if (differs)
			printf "ioctl %s dir %d\n", call, dir
		else
			printf "ioctl %s dir %d size %d\n", call, dir, size
	}
}

# struct NAME { fields } [packed]
/^[a-z_][a-z0-9_]* \{/ {
	sname = $1
	instruct = 1
	nf = 0
	next
}
instruct && /^\}/ {
	instruct = 0
	packed = $0 ~ /packed/
	off = 0
	maxal = 1
	for (i = 1; i <= nf; i++) {
		layout(ftype[i])
		al = packed ? 1 : talign
		if (off % al)
			off += al - off % al
		if (mode == "c")
			printf "\tprintf(\"offset %s.%s %%zu\\n\", offsetof(struct %s, %s));\n", sname, fname[i], sname, fname[i]
		else
			printf "offset %s.%s %d\n", sname, fname[i], off
		if (mode == "c" && !tvar)
			printf "\tprintf(\"fsize %s.%s %%zu\\n\", sizeof(((struct %s *)0)->%s));\n", sname, fname[i], sname, fname[i]
		else if (!tvar)
			printf "fsize %s.%s %d\n", sname, fname[i], tsize
		off += tsize
		if (al > maxal)
			maxal = al
	}
	if (off % maxal)
		off += maxal - off % maxal
	ssize[sname] = off
	salign[sname] = maxal
	if (mode == "c")
		printf "\tprintf(\"size %s %%zu\\n\", sizeof(struct %s));\n", sname, sname
	else
		printf "size %s %d\n", sname, off
	next
}
instruct {
	fname[++nf] = $1
	t = $0
	sub(/^[ \t]*[a-z_0-9]+[ \t]+/, "", t)
	ftype[nf] = trim(t)
	next
}

END {
	for (i = 1; i <= nioctl; i++)
		do_ioctl(ioctl_line[i], ioctl_differs[i])
	for (i = 1; i <= nused; i++) {
		c = order[i]
		if (mode == "c")
			printf "\tprintf(\"const %s %%llu\\n\", (unsigned long long)(%s));\n", c, c
		else if (c in cval)
			printf "const %s %s\n", c, cval[c]
		else
			printf "const %s missing-from-.const\n", c
	}
	if (mode == "c") {
		print "\treturn 0;"
		print "}"
	}
	if (bad != "") {
		printf "%s", bad > "/dev/stderr"
		exit 1
	}
}
