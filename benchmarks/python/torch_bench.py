#!/usr/bin/env python3
"""PyTorch reference timings for docs/benchmarks.md: torchvision ResNet-18 (random weights, fc -> 10 classes)
trained and evaluated with the notebook's strategies on prepared random tensors, at the same batch and image
sizes and thread count as the DJL trainer benchmark.

Strategies set requires_grad like the notebook: freeze freezes layer1..layer4 only (conv1, bn1 and fc stay
trainable), partial trains layer4 and fc, full trains everything. AdamW with the fc group at lr 1e-3 and the
rest at 1e-4, weight decay 1e-4; model.train() for training steps, model.eval() + no_grad for evaluation.

Prints one JSON object per measurement, each line prefixed with "@@BENCH ", like the Java side; imagesPerSecond
is batch / median timed step (the mean is meanImagesPerSecond).
Usage: /usr/bin/python3 torch_bench.py --threads 2 [--plan main|threads] [--quick]
"""
import argparse
import json
import resource
import sys
import time

import torch
import torch.nn as nn
import torchvision


def emit(obj):
    print("@@BENCH " + json.dumps(obj), flush=True)


def build(strategy):
    torch.manual_seed(0)
    model = torchvision.models.resnet18(weights=None)
    model.fc = nn.Linear(512, 10)
    if strategy == "freeze":
        for name in ("layer1", "layer2", "layer3", "layer4"):
            for p in getattr(model, name).parameters():
                p.requires_grad = False
    elif strategy == "partial":
        for p in model.parameters():
            p.requires_grad = False
        for p in list(model.layer4.parameters()) + list(model.fc.parameters()):
            p.requires_grad = True
    elif strategy != "full":
        raise ValueError(strategy)
    head = [p for p in model.fc.parameters() if p.requires_grad]
    head_ids = {id(p) for p in head}
    backbone = [p for p in model.parameters() if p.requires_grad and id(p) not in head_ids]
    groups = [{"params": head, "lr": 1e-3}]
    if backbone:
        groups.append({"params": backbone, "lr": 1e-4})
    optimizer = torch.optim.AdamW(groups, weight_decay=1e-4, betas=(0.9, 0.999), eps=1e-8)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    return model, optimizer, trainable


def steps(size, quick, evaluation=False):
    if size >= 128:
        return (1, 1) if quick else (1, 2 if evaluation else 3)
    return (1, 3) if quick else (3, 10)


def timed_train(model, optimizer, size, batch, warm, timed, channels_last=False):
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randn(batch, 3, size, size)
    y = torch.randint(0, 10, (batch,))
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    model.train()

    def step():
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        return loss.item()

    for _ in range(warm):
        step()
    return timed_steps(step, timed)


def timed_steps(step, timed):
    """Total seconds and the median step's seconds of `timed` calls."""
    each = []
    for _ in range(timed):
        t = time.perf_counter()
        step()
        each.append(time.perf_counter() - t)
    ordered = sorted(each)
    mid = len(ordered) // 2
    median = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    return sum(each), median


def timed_eval(model, size, batch, warm, timed):
    x = torch.randn(batch, 3, size, size)
    model.eval()
    with torch.no_grad():
        for _ in range(warm):
            model(x).argmax(1)
        return timed_steps(lambda: model(x).argmax(1), timed)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--plan", default="main", choices=["main", "threads"])
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    emit({"section": "engine", "impl": "pytorch", "torch": torch.__version__,
          "torchvision": torchvision.__version__, "python": sys.version.split()[0],
          "intraOpThreads": torch.get_num_threads(), "interOpThreads": torch.get_num_interop_threads()})

    def record(kind, strategy, size, batch, st, timing, **extra):
        seconds, median = timing
        m = {"section": "trainer", "impl": "pytorch", "kind": kind, "strategy": strategy, "size": size,
             "batch": batch, "threads": a.threads, "warmupSteps": st[0], "timedSteps": st[1],
             "seconds": seconds, "meanImagesPerSecond": st[1] * batch / seconds,
             "medianStepSeconds": median, "imagesPerSecond": batch / median}
        m.update(extra)
        emit(m)

    for strategy in ("freeze", "partial", "full"):
        model, optimizer, trainable = build(strategy)
        sizes = (32, 224) if a.plan == "main" or strategy == "partial" else (32,)
        for size in sizes:
            st = steps(size, a.quick)
            record("train", strategy, size, 64, st, timed_train(model, optimizer, size, 64, *st),
                   trainableParameters=trainable)
            if a.plan == "main" and strategy == "full":
                st = steps(size, a.quick, evaluation=True)
                record("eval", "any", size, 128, st, timed_eval(model, size, 128, *st), measuredWith=strategy)
        if a.plan == "main" and strategy == "partial":
            # The lever DJL cannot pull on a TorchScript module: channels-last memory format.
            st = steps(224, a.quick)
            record("train-channels-last", strategy, 224, 64, st,
                   timed_train(model, optimizer, 224, 64, *st, channels_last=True), trainableParameters=trainable)

    emit({"section": "memory", "impl": "pytorch", "plan": a.plan,
          "peakRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0})


if __name__ == "__main__":
    main()
