#!/usr/bin/env python3
"""PyTorch peer of ImageFolderBench: torchvision's ImageFolder + PIL (its default loader: open, convert("RGB")) + the
notebook's transforms at 224 px in a DataLoader, on the folder of 500x375 JPEGs the Java side made, with as many
workers as the Java side has threads. Kinds, as the Java side names them:

- image-decode: the loader alone (PIL open + convert("RGB"); PIL decodes lazily, convert forces it);
- image-train: RandomResizedCrop(224, (0.6, 1), (3/4, 4/3)), RandomHorizontalFlip, ToTensor, Normalize;
- image-test: Resize(256), CenterCrop(224), ToTensor, Normalize;
- image-train-cached: the train transform on images decoded once (PIL images kept in memory).

DataLoader(batch_size=64, shuffle=True, num_workers=N) for N >= 1 (worker processes, as training runs), one warm-up
pass, then timed passes; images/s counts all workers together. Each worker runs torch with one thread (DataLoader's
default for workers). Prints one JSON object per measurement prefixed with "@@BENCH ".
Usage: /usr/bin/python3 imagefolder_bench.py --folder DIR [--quick]
"""
import argparse
import json
import time

import torch
import torchvision
import torchvision.transforms as T
from PIL import Image
from torch.utils.data import DataLoader, Dataset

NORM = T.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))
TRAIN = T.Compose([T.RandomResizedCrop(224, scale=(0.6, 1.0), ratio=(3 / 4, 4 / 3)), T.RandomHorizontalFlip(),
                   T.ToTensor(), NORM])
TEST = T.Compose([T.Resize(256), T.CenterCrop(224), T.ToTensor(), NORM])


def emit(kind, threads, rate):
    print("@@BENCH " + json.dumps({"impl": "pytorch", "kind": kind, "threads": threads, "size": 224,
                                   "imagesPerSecond": rate, "perThread": rate / threads}), flush=True)


def decode_only(path):
    with open(path, "rb") as f:
        Image.open(f).convert("RGB")
    return torch.zeros(1)


class Cached(Dataset):
    def __init__(self, images, count):
        self.images, self.count = images, count

    def __len__(self):
        return self.count

    def __getitem__(self, i):
        return TRAIN(self.images[i % len(self.images)]), 0


def timed(dataset, workers, rounds):
    loader = DataLoader(dataset, batch_size=64, shuffle=True, num_workers=workers, persistent_workers=True)
    for _ in loader:  # warm-up pass: worker start and first imports are not timed
        pass
    seconds, images = 0.0, 0
    for _ in range(rounds):
        t0 = time.perf_counter()
        for batch, _ in loader:
            images += len(batch)
        seconds += time.perf_counter() - t0
    return images / seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--folder", required=True)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    rounds = 1 if args.quick else 2
    torch.manual_seed(0)
    for workers in (1, 2):
        emit("image-decode", workers, timed(torchvision.datasets.ImageFolder(args.folder, loader=decode_only,
                                                                              transform=None), workers, rounds))
        emit("image-train", workers, timed(torchvision.datasets.ImageFolder(args.folder, transform=TRAIN), workers,
                                           rounds))
        emit("image-test", workers, timed(torchvision.datasets.ImageFolder(args.folder, transform=TEST), workers,
                                          rounds))
    folder = torchvision.datasets.ImageFolder(args.folder)
    images = [folder.loader(path) for path, _ in folder.samples[:100]]
    for workers in (1, 2):
        emit("image-train-cached", workers, timed(Cached(images, len(folder)), workers, rounds))
    print("torch %s torchvision %s PIL %s" % (torch.__version__, torchvision.__version__, Image.__version__))


if __name__ == "__main__":
    main()
