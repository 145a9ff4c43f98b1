#!/usr/bin/env python3
"""Records tools-commands.txt on the real kernel into tools.golden (root; namespace lab-t)."""
import subprocess, os
here = os.path.dirname(os.path.abspath(__file__))
env = dict(os.environ, LC_ALL="C")
subprocess.run(["ip", "netns", "add", "lab-t"], check=True)
out = []
try:
    for line in open(os.path.join(here, "tools-commands.txt")):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        p = subprocess.run(["ip", "netns", "exec", "lab-t"] + line.split(), capture_output=True, text=True, env=env)
        out.append("$ " + line)
        out.append("? %d" % p.returncode)
        out += ["> " + l for l in p.stdout.splitlines()]
        out += ["! " + l for l in p.stderr.splitlines()]
finally:
    subprocess.run(["ip", "netns", "del", "lab-t"])
open(os.path.join(here, "tools.golden"), "w").write("\n".join(out) + "\n")
