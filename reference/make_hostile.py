"""Writes checkpoints that carry code-execution payloads, the way an attacker would, with real
torch.save. Loading them must fail cleanly without running anything.

  /usr/bin/python3 reference/make_hostile.py OUTDIR
"""
import collections
import os
import sys
from pathlib import Path

import torch


class Payload:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    sd = collections.OrderedDict()
    sd["base_net.0.0.weight"] = torch.zeros(2, 3)
    sd["evil"] = Payload("/tmp/layerlens-pwned-zip")
    torch.save(sd, out / "reduce-payload.pth")
    torch.save({"state_dict": sd}, out / "reduce-payload-wrapped.pth")


if __name__ == "__main__":
    main()
