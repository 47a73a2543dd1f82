"""PyTorch eager timing of the same network, weights and input the Java bench uses.

  /usr/bin/python3 reference/bench_torch.py --model M.pth --image I [--iterations N] [--threads T]
"""
import argparse
import statistics
import time

import torch

import ssdnet


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--image", required=True)
    ap.add_argument("--iterations", type=int, default=50)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    sd = torch.load(a.model, map_location="cpu", weights_only=True) if "weights_only" in \
        torch.load.__code__.co_varnames else torch.load(a.model, map_location="cpu")
    classes = sd["classification_headers.0.3.weight"].shape[0] // 6
    model = ssdnet.SSDLite(classes).eval()
    model.load_state_dict(sd)
    x, _, _ = ssdnet.preprocess(a.image)
    times = []
    with torch.no_grad():
        for i in range(a.warmup + a.iterations):
            t = time.perf_counter()
            model(x)
            if i >= a.warmup:
                times.append((time.perf_counter() - t) * 1000)
    print(f"pytorch {torch.__version__} eager, {a.threads} thread(s): median {statistics.median(times):.2f} ms "
          f"(min {min(times):.2f})")


if __name__ == "__main__":
    main()
