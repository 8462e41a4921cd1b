#!/usr/bin/env python3
"""PyTorch reference timings for docs/benchmarks.md: torchvision ResNet-18 (random weights, fc -> 10 classes)
trained and evaluated with the notebook's strategies on prepared random tensors, at the same batch and image
sizes and thread count as the DJL trainer benchmark.

Strategies set requires_grad like the notebook: freeze freezes layer1..layer4 only (conv1, bn1 and fc stay
trainable), partial trains layer4 and fc, full trains everything. AdamW with the fc group at lr 1e-3 and the
rest at 1e-4, weight decay 1e-4; model.train() for training steps, model.eval() + no_grad for evaluation.

Each is measured in three settings, the peers of the trainer's: fp32 (the notebook), fp32 with the channels-last
memory format (model and input), and bf16 with torch.autocast("cpu", torch.bfloat16) around the forward (the loss
in float32). With --emulated-bf16 (a CPU without AVX-512 BF16 or AMX, where a bf16 step at 224 px takes minutes) bf16
runs on small batches, one step, and at 224 px for partial only, exactly as the Java side does; without it (the CPU
computes bf16) a fourth setting, bf16 channels-last, runs too, the peer of the trainer's fastest setting there.

The memory plan only trains full at 224 px in fp32, so that the process's peak resident memory is that job's.

Prints one JSON object per measurement, each line prefixed with "@@BENCH ", like the Java side; imagesPerSecond
is batch / median timed step (the mean is meanImagesPerSecond).
The main-32px plan only trains partial and full at 32 px in fp32, 20 timed steps (the bench's section "small").
The profile plan trains each --rows row (strategy/size/fp32 or strategy/size/channels-last, the list the Java side
gets) for a few steps under torch.autograd.profiler and writes a Chrome trace per row into --trace-dir, with the
process's user and kernel CPU time over those steps (the bench's section "profile").
Usage: /usr/bin/python3 torch_bench.py --threads 2 [--plan main|main-32px|memory|profile] [--quick] [--emulated-bf16]
       [--rows ROWS --trace-dir DIR]
"""
import argparse
import json
import os
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


SETTINGS = ("fp32", "fp32 channels-last", "bf16")


def steps(size, quick, evaluation=False, emulated=False):
    if emulated:
        return (1, 1)
    if size >= 128:
        return (1, 1) if quick else (1, 2 if evaluation else 3)
    return (1, 3) if quick else (3, 10)


def prepare(model, x, setting):
    """The model and input in the setting's memory format, and the autocast context of its precision."""
    channels_last = setting.endswith("channels-last")
    fmt = torch.channels_last if channels_last else torch.contiguous_format
    model = model.to(memory_format=fmt)
    x = x.contiguous(memory_format=fmt)
    return model, x, lambda: torch.autocast("cpu", torch.bfloat16, enabled=setting.startswith("bf16"))


def train_step(model, optimizer, size, batch, setting):
    """One training step of the notebook's loop on a prepared random batch, in the setting's format and precision."""
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randn(batch, 3, size, size)
    y = torch.randint(0, 10, (batch,))
    model, x, autocast = prepare(model, x, setting)
    model.train()

    def step():
        optimizer.zero_grad()
        with autocast():
            logits = model(x)
        loss = loss_fn(logits.float(), y)
        loss.backward()
        optimizer.step()
        return loss.item()

    return step


def timed_train(model, optimizer, size, batch, warm, timed, setting="fp32"):
    step = train_step(model, optimizer, size, batch, setting)
    for _ in range(warm):
        step()
    return timed_steps(step, timed)


def profiled_train(model, optimizer, size, batch, warm, timed, setting, trace):
    """Like timed_train, the timed steps under the autograd profiler; also the CPU time they used, user and kernel, and
    the minor page faults per step."""
    step = train_step(model, optimizer, size, batch, setting)
    for _ in range(warm):
        step()
    before = resource.getrusage(resource.RUSAGE_SELF)
    with torch.autograd.profiler.profile() as prof:
        timing = timed_steps(step, timed)
    after = resource.getrusage(resource.RUSAGE_SELF)
    prof.export_chrome_trace(trace)
    return (timing, after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime,
            (after.ru_minflt - before.ru_minflt) / timed)


def profile_row(row, quick):
    """strategy/size/fp32|channels-last, as ProfileRow.parse reads it, and the steps ProfileRow.steps gives."""
    strategy, size, layout = row.split("/")
    size = int(size)
    steps = (1, 2) if quick else ((2, 3) if size >= 128 else (5, 10))
    return strategy, size, "fp32 channels-last" if layout == "channels-last" else "fp32", layout, steps


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


def timed_eval(model, size, batch, warm, timed, setting="fp32"):
    x = torch.randn(batch, 3, size, size)
    model, x, autocast = prepare(model, x, setting)
    model.eval()

    def step():
        with autocast():
            return model(x).float().argmax(1)

    with torch.no_grad():
        for _ in range(warm):
            step()
        return timed_steps(step, timed)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--plan", default="main", choices=["main", "main-32px", "memory", "profile"])
    ap.add_argument("--rows", default="")
    ap.add_argument("--trace-dir", default="")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--emulated-bf16", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    emit({"section": "engine", "impl": "pytorch", "torch": torch.__version__,
          "torchvision": torchvision.__version__, "python": sys.version.split()[0],
          "intraOpThreads": torch.get_num_threads(), "interOpThreads": torch.get_num_interop_threads(),
          "ompWaitPolicy": os.environ.get("OMP_WAIT_POLICY"), "gompSpinCount": os.environ.get("GOMP_SPINCOUNT"),
          "ldPreload": os.environ.get("LD_PRELOAD")})

    def record(kind, strategy, setting, size, batch, st, timing, **extra):
        seconds, median = timing
        m = {"section": "trainer", "impl": "pytorch", "setting": setting, "kind": kind, "strategy": strategy,
             "size": size, "batch": batch, "threads": a.threads, "warmupSteps": st[0], "timedSteps": st[1],
             "seconds": seconds, "meanImagesPerSecond": st[1] * batch / seconds,
             "medianStepSeconds": median, "imagesPerSecond": batch / median}
        m.update(extra)
        emit(m)

    def batch_of(setting, size, evaluation):
        if setting == "bf16" and a.emulated_bf16:
            return 4 if size >= 128 else 16
        return 128 if evaluation else 64

    if a.plan == "main-32px":
        # the rows the optimizer decides most: partial and full at 32 px in fp32, 3 warm-up and 20 timed steps
        for strategy in ("partial", "full"):
            model, optimizer, trainable = build(strategy)
            st = (1, 3) if a.quick else (3, 20)
            record("train", strategy, "fp32", 32, 64, st, timed_train(model, optimizer, 32, 64, *st),
                   trainableParameters=trainable)
    elif a.plan == "profile":
        for row in a.rows.split(","):
            strategy, size, setting, layout, st = profile_row(row, a.quick)
            model, optimizer, trainable = build(strategy)
            trace = "%s/pytorch-%s-%d-%s.json" % (a.trace_dir, strategy, size, layout)
            timing, user, system, faults = profiled_train(model, optimizer, size, 64, *st, setting=setting,
                                                          trace=trace)
            record("profile", strategy, setting, size, 64, st, timing, userSeconds=user, systemSeconds=system,
                   minorFaultsPerStep=faults, trace=trace)
    elif a.plan == "memory":
        model, optimizer, trainable = build("full")
        st = steps(224, a.quick)
        record("train", "full", "fp32", 224, 64, st, timed_train(model, optimizer, 224, 64, *st),
               trainableParameters=trainable)
    else:
        # bf16 channels-last, the trainer's fastest setting where the CPU computes bf16, only there
        for setting in SETTINGS + (() if a.emulated_bf16 else ("bf16 channels-last",)):
            emulated = setting == "bf16" and a.emulated_bf16
            for strategy in ("freeze", "partial", "full"):
                model, optimizer, trainable = build(strategy)
                for size in (32, 224):
                    if emulated and size >= 128 and strategy != "partial":
                        continue
                    st = steps(size, a.quick, emulated=emulated)
                    batch = batch_of(setting, size, False)
                    record("train", strategy, setting, size, batch, st,
                           timed_train(model, optimizer, size, batch, *st, setting=setting),
                           trainableParameters=trainable)
                    if strategy == "full":
                        st = steps(size, a.quick, evaluation=True, emulated=emulated)
                        batch = batch_of(setting, size, True)
                        record("eval", "any", setting, size, batch, st,
                               timed_eval(model, size, batch, *st, setting=setting), measuredWith=strategy)

    emit({"section": "memory", "impl": "pytorch", "plan": a.plan,
          "peakRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0})


if __name__ == "__main__":
    main()
