#!/usr/bin/env python3
"""Records ip-commands.txt on the real kernel into ip.golden (run as root; uses lab-g* namespaces)."""
import subprocess, sys, os
here = os.path.dirname(os.path.abspath(__file__))
out = []
for line in open(os.path.join(here, "ip-commands.txt")):
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    p = subprocess.run(line.split(), capture_output=True, text=True, env=dict(os.environ, LC_ALL="C"))
    out.append("$ " + line)
    out.append("? %d" % p.returncode)
    for l in p.stdout.splitlines():
        out.append("> " + l)
    for l in p.stderr.splitlines():
        out.append("! " + l)
open(os.path.join(here, "ip.golden"), "w").write("\n".join(out) + "\n")
