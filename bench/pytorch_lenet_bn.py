#!/usr/bin/env python3
"""PyTorch reference for lenet_bn training and inference throughput on random input.

Same network, batch and optimizer as `ferc models/lenet_bn.net time`, so the two figures can be
compared in one sitting. Usage: bench/pytorch_lenet_bn.py [--batch 128] [--threads 2]
"""
import argparse
import json
import time

import torch
import torch.nn as nn


def lenet_bn():
    return nn.Sequential(
        nn.Conv2d(1, 20, 5), nn.BatchNorm2d(20), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(20, 20, 5), nn.BatchNorm2d(20), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(1620, 500), nn.ReLU(), nn.Linear(500, 300), nn.ReLU(),
        nn.Linear(300, 7))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--iterations", type=int, default=20)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    net = lenet_bn()
    opt = torch.optim.SGD(net.parameters(), lr=1e-4, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randn(args.batch, 1, 48, 48)
    y = torch.arange(args.batch) % 7

    def step():
        opt.zero_grad(set_to_none=True)
        loss_fn(net(x), y).backward()
        opt.step()

    net.train()
    for _ in range(3):
        step()
    t = time.perf_counter()
    for _ in range(args.iterations):
        step()
    train_s = time.perf_counter() - t
    net.eval()
    with torch.no_grad():
        for _ in range(3):
            net(x)
        t = time.perf_counter()
        for _ in range(args.iterations):
            net(x)
        infer_s = time.perf_counter() - t
    print(json.dumps({
        "framework": f"pytorch {torch.__version__}", "threads": args.threads, "batch": args.batch,
        "train_img_s": args.batch * args.iterations / train_s,
        "infer_img_s": args.batch * args.iterations / infer_s}))


if __name__ == "__main__":
    main()
