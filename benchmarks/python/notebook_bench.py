#!/usr/bin/env python3
"""The notebook's own training loop as the PyTorch peer of the trainer end to end (issue 30, section "notebook").

Model, strategies and optimizer come from torch_bench.build (torchvision ResNet-18, fc -> 10 classes, the notebook's
requires_grad per strategy, AdamW with two learning rates). Around them, the notebook's code as written
(docs/spec.md §2, /work/shared/seed): PIL images in a Dataset like torchvision's CIFAR10 (uint8 HWC array ->
Image.fromarray -> transform), its train transforms (RandomResizedCrop(S, scale=(0.6, 1.0)) with torchvision's default
ratio (3/4, 4/3), RandomHorizontalFlip, ToTensor, Normalize), its DataLoader (batch 64, shuffle, num_workers=2,
pin_memory=True, which without CUDA only warns), torch.set_num_threads(threads), model.train(), and per batch
zero_grad, forward, CrossEntropyLoss, backward, step, loss.item() and the accuracy count.

The images are the trainer's: --data names a file of CIFAR-10 binary records (label byte + 3,072 bytes in R, G, B
planes) that the Java side wrote from SyntheticCifar, so both sides see the same 3,000 32x32 images.

Timing, the same as the Java side's "notebook" rows: the first batch of the epoch (worker start-up, the loader's first
fetch, first-step allocations) is not timed; the rate is the images of the later batches over the time from the end of
the first batch's step to the end of the last one. --batches limits the batches per epoch (a full epoch at 224 px takes
minutes). Each strategy is run in fp32 and in fp32 channels-last (model and each batch, as torch_bench does), and with
--native-bf16 (a CPU with AVX-512 BF16 or AMX) also in bf16 channels-last: the forward under
torch.autocast("cpu", torch.bfloat16), the loss in float32, the peer of the trainer's precision bf16.

It also counts the FLOPs of one training image per strategy and size from the model itself (section "flops"): forward
hooks on every Conv2d and Linear give its multiply-adds per image; autograd computes a layer's input gradient only
when its input requires grad, and its weight gradient only when its weight does; each costs the forward's
multiply-adds again. BatchNorm, ReLU, pooling and the residual additions are not counted (under 1 % of ResNet-18's).

Prints one JSON object per measurement prefixed with "@@BENCH ", like torch_bench.py.
Usage: /usr/bin/python3 notebook_bench.py --data FILE [--threads 2] [--sizes 32,224] [--batches N] [--quick]
       [--native-bf16]
"""
import argparse
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

from torch_bench import build, emit, timed_train

STRATEGIES = ("freeze", "partial", "full")
SETTINGS = ("fp32", "fp32 channels-last")
RECORD = 1 + 3 * 32 * 32


class CifarRecords(Dataset):
    """Binary CIFAR-10 records as torchvision's CIFAR10 keeps them: HWC uint8 arrays, a PIL image per item."""

    def __init__(self, path, transform):
        raw = np.fromfile(path, dtype=np.uint8)
        if raw.size == 0 or raw.size % RECORD:
            raise ValueError(f"{path}: not CIFAR-10 binary records ({raw.size} bytes)")
        records = raw.reshape(-1, RECORD)
        self.labels = records[:, 0].astype(np.int64).tolist()
        self.images = records[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1).copy()
        self.transform = transform

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, index):
        return self.transform(Image.fromarray(self.images[index])), self.labels[index]


def train_transform(size):
    return transforms.Compose([
        transforms.RandomResizedCrop(size, scale=(0.6, 1.0)),
        transforms.RandomHorizontalFlip(),
        transforms.ToTensor(),
        transforms.Normalize(mean=(0.485, 0.456, 0.406), std=(0.229, 0.224, 0.225)),
    ])


def notebook_epoch(model, optimizer, loader, batches, channels_last, bf16=False):
    """One epoch of the notebook's loop, at most `batches` batches; (images timed, seconds timed, batches run).
    With bf16 the forward runs under torch.autocast("cpu", torch.bfloat16) and the loss in float32, as the trainer's
    precision bf16 computes."""
    criterion = nn.CrossEntropyLoss()
    fmt = torch.channels_last if channels_last else torch.contiguous_format
    model.train()
    running_loss, correct, total = 0.0, 0, 0
    timed_images, start, done = 0, None, 0
    for inputs, labels in loader:
        if channels_last:
            inputs = inputs.contiguous(memory_format=fmt)
        optimizer.zero_grad()
        with torch.autocast("cpu", torch.bfloat16, enabled=bf16):
            outputs = model(inputs)
        outputs = outputs.float()
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
        running_loss += loss.item() * inputs.size(0)
        _, predicted = outputs.max(1)
        total += labels.size(0)
        correct += predicted.eq(labels).sum().item()
        done += 1
        if start is None:
            start = time.perf_counter()
        else:
            timed_images += labels.size(0)
        if done >= batches:
            break
    return timed_images, time.perf_counter() - start, done


def training_macs(strategy, size):
    """Multiply-adds per image of the forward pass, the input gradients and the weight gradients autograd computes."""
    model, _, _ = build(strategy)
    model.train()
    counts = {"forward": 0, "inputGradient": 0, "weightGradient": 0}

    def hook(module, inputs, output):
        if isinstance(module, nn.Conv2d):
            per_output = (module.in_channels // module.groups) * module.kernel_size[0] * module.kernel_size[1]
        else:
            per_output = module.in_features
        macs = output[0].numel() * per_output  # output[0]: one image of the batch
        counts["forward"] += macs
        if inputs[0].requires_grad:
            counts["inputGradient"] += macs
        if module.weight.requires_grad:
            counts["weightGradient"] += macs

    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            m.register_forward_hook(hook)
    with torch.enable_grad():
        model(torch.randn(2, 3, size, size))
    return counts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--sizes", default="32,224")
    ap.add_argument("--batches", type=int, default=0, help="batches per epoch (0: the whole epoch)")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--native-bf16", action="store_true", help="also bf16 channels-last (the CPU computes bf16)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    sizes = [int(s) for s in a.sizes.split(",")]
    emit({"section": "engine", "impl": "pytorch", "torch": torch.__version__,
          "torchvision": torchvision.__version__, "python": sys.version.split()[0],
          "intraOpThreads": torch.get_num_threads(), "interOpThreads": torch.get_num_interop_threads(),
          "ompWaitPolicy": os.environ.get("OMP_WAIT_POLICY"), "gompSpinCount": os.environ.get("GOMP_SPINCOUNT"),
          "ldPreload": os.environ.get("LD_PRELOAD")})
    for size in sizes:
        for strategy in STRATEGIES:
            c = training_macs(strategy, size)
            emit({"section": "flops", "strategy": strategy, "size": size, "forwardMacs": c["forward"],
                  "inputGradientMacs": c["inputGradient"], "weightGradientMacs": c["weightGradient"]})
    for size in sizes:
        dataset = CifarRecords(a.data, train_transform(size))
        epoch_batches = (len(dataset) + 63) // 64
        batches = a.batches or (4 if a.quick else epoch_batches)
        for setting in SETTINGS + (("bf16 channels-last",) if a.native_bf16 else ()):
            channels_last = setting.endswith("channels-last")
            for strategy in STRATEGIES:
                model, optimizer, trainable = build(strategy)
                if channels_last:
                    model = model.to(memory_format=torch.channels_last)
                torch.manual_seed(0)
                loader = DataLoader(dataset, batch_size=64, shuffle=True, num_workers=2, pin_memory=True)
                images, seconds, done = notebook_epoch(model, optimizer, loader, min(batches, epoch_batches),
                                                       channels_last, bf16=setting.startswith("bf16"))
                emit({"section": "trainer", "impl": "pytorch", "kind": "notebook", "setting": setting,
                      "strategy": strategy, "size": size, "batch": 64, "threads": a.threads, "dataWorkers": 2,
                      "epochImages": len(dataset), "batchesRun": done, "timedImages": images, "seconds": seconds,
                      "imagesPerSecond": images / seconds if seconds > 0 else 0.0,
                      "timing": "steady rate after the first batch of the epoch",
                      "trainableParameters": trainable})
                # the model alone right after, on the same model and optimizer: torch_bench's timed steps
                st = (1, 1) if a.quick else ((1, 3) if size >= 128 else (3, 10))
                seconds, median = timed_train(model, optimizer, size, 64, *st, setting=setting)
                emit({"section": "trainer", "impl": "pytorch", "kind": "notebook-model-alone", "setting": setting,
                      "strategy": strategy, "size": size, "batch": 64, "threads": a.threads, "warmupSteps": st[0],
                      "timedSteps": st[1], "seconds": seconds, "medianStepSeconds": median,
                      "imagesPerSecond": 64 / median})


if __name__ == "__main__":
    main()
