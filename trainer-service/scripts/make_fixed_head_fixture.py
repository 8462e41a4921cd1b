#!/usr/bin/env python3
"""Writes a tiny TorchScript model whose classifier cannot change size (a test fixture).

It has conv1 and a 10-output fc like a ResNet, but no replace_classifier method: what a model exported by another tool
looks like. The trainer must refuse it for a dataset of another number of classes, naming numClasses.

usage: make_fixed_head_fixture.py OUT.pt   (the test copy: trainer-engine/src/test/resources/models/fixed-head.pt)
"""
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


class FixedHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 4, kernel_size=3)
        self.fc = nn.Linear(4, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(self.conv1(x), 1), 1))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    torch.manual_seed(0)
    torch.jit.script(FixedHead().eval()).save(sys.argv[1])
