#!/usr/bin/env python3
"""Export a TorchScript ResNet-18 that the trainer service can fine-tune with DJL.

The file is written with torch.jit.script (never torch.jit.trace): a traced model has
BatchNorm's training flag baked in as False, so BatchNorm would never update its running
statistics during fine-tuning.

The classifier is replaced by Linear(512 / width_divisor, classes), as in the reference study.
Parameter names are torchvision's (conv1, bn1, layer1..layer4, fc) for every variant, so the
strategy patterns (e.g. "layer4.*", "fc.*") address the same tensors in the small test models.

Every exported model can be given a classifier of any size after loading: the scripted method
replace_classifier(classes) gives fc new weight and bias tensors of `classes` rows (zeros: the caller
initialises them) and sets fc.out_features. The trainer calls it when a dataset has another number of
classes than the file's fc (DJL cannot replace a submodule, but a TorchScript method may assign a
module's parameters). For that fc is a subclass of nn.Linear whose in/out_features are attributes
rather than TorchScript constants, so that a model saved after the change reports its real size.
"""
import argparse
import os
import sys

import torch
import torch.nn as nn
from torchvision.models import resnet18
from torchvision.models.resnet import BasicBlock, ResNet


class NarrowResNet18(ResNet):
    """torchvision's ResNet-18 with every channel count divided by `divisor`.

    torchvision hard-codes the widths 64/128/256/512, so this repeats its constructor with narrower
    planes and reuses its _make_layer and forward; the module tree and names are unchanged.
    """

    def __init__(self, divisor: int, num_classes: int):
        nn.Module.__init__(self)
        widths = [max(1, w // divisor) for w in (64, 128, 256, 512)]
        self._norm_layer = nn.BatchNorm2d
        self.inplanes = widths[0]
        self.dilation = 1
        self.groups = 1
        self.base_width = 64  # BasicBlock insists on 64; the real width comes from `planes`
        self.conv1 = nn.Conv2d(3, widths[0], kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(widths[0])
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(BasicBlock, widths[0], 2)
        self.layer2 = self._make_layer(BasicBlock, widths[1], 2, stride=2)
        self.layer3 = self._make_layer(BasicBlock, widths[2], 2, stride=2)
        self.layer4 = self._make_layer(BasicBlock, widths[3], 2, stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(widths[3], num_classes)
        # Same initialisation as torchvision's ResNet.
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)


class Classifier(nn.Linear):
    """nn.Linear whose size can change after scripting (see replace)."""

    # nn.Linear declares in_features and out_features as constants, fixed in the scripted class; as attributes
    # they can follow a new size.
    __constants__ = []

    @torch.jit.export
    def replace(self, classes: int) -> int:
        weight = self.weight
        self.weight = torch.zeros([classes, weight.size(1)], dtype=weight.dtype, device=weight.device)
        bias = self.bias
        if bias is not None:
            self.bias = torch.zeros([classes], dtype=bias.dtype, device=bias.device)
        self.out_features = classes
        return classes


class AnyHead:
    """Gives a ResNet's scripted class the method replace_classifier(classes)."""

    @torch.jit.export
    def replace_classifier(self, classes: int) -> int:
        return self.fc.replace(classes)


def with_replaceable_head(model: nn.Module) -> nn.Module:
    """The same module (parameters, names and values untouched) with a classifier that can change size."""
    model.fc.__class__ = Classifier
    model.__class__ = type(type(model).__name__ + "AnyHead", (AnyHead, type(model)), {})
    return model


def build(weights: str, classes: int, divisor: int) -> nn.Module:
    if divisor == 1:
        if weights == "imagenet":
            from torchvision.models import ResNet18_Weights
            model = resnet18(weights=ResNet18_Weights.IMAGENET1K_V1)  # downloads once into torch's cache
        else:
            model = resnet18(weights=None)
        model.fc = nn.Linear(model.fc.in_features, classes)  # fresh head, as in the study
        return model
    if weights == "imagenet":
        sys.exit("--weights imagenet needs --width-divisor 1 (pretrained weights exist only at full width)")
    return NarrowResNet18(divisor, classes)


@torch.no_grad()
def constant_init(model: nn.Module) -> None:
    """Deterministic constant weights: the file then compresses to almost nothing.

    Only useful for tests that need the real shapes (parameter counts), not for learning.
    """
    for name, p in model.named_parameters():
        if name.endswith("bn1.weight") or name.endswith("bn2.weight") or name.endswith("downsample.1.weight"):
            p.fill_(1.0)
        elif name.endswith("bias"):
            p.fill_(0.0)
        else:
            p.fill_(0.01)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_var.fill_(1.0)
            m.running_mean.fill_(0.0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--weights", choices=["imagenet", "none"], default="imagenet",
                    help="imagenet: torchvision IMAGENET1K_V1 (needs internet once); none: random init")
    ap.add_argument("--classes", type=int, default=10, help="outputs of the new fc head (default 10)")
    ap.add_argument("--width-divisor", type=int, default=1,
                    help="divide every channel count by this (1 = real ResNet-18; 8 gives a ~1 MB test model)")
    ap.add_argument("--constant-init", action="store_true",
                    help="set every weight to a deterministic constant (compressible test fixture)")
    ap.add_argument("--seed", type=int, default=0, help="torch.manual_seed before building (default 0)")
    ap.add_argument("output", help="path of the TorchScript file to write, e.g. resnet18.pt")
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    model = build(args.weights, args.classes, args.width_divisor)
    if args.constant_init:
        constant_init(model)
    model = with_replaceable_head(model)
    model.eval()  # saved in eval mode; the trainer switches to training mode itself
    scripted = torch.jit.script(model)
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    scripted.save(args.output)
    total = sum(p.numel() for p in model.parameters())
    print(f"wrote {args.output}: {total:,} parameters, {args.classes} classes, "
          f"weights={args.weights}, width-divisor={args.width_divisor}, constant-init={args.constant_init}")


if __name__ == "__main__":
    main()
