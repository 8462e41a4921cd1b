#!/usr/bin/env python3
"""Reference numbers for the trainer's PyTorch-parity test.

Loads a TorchScript model exported by export_resnet18.py, runs the notebook's update (train mode,
CrossEntropyLoss, AdamW with weight decay 1e-4 and two parameter groups: fc lr 1e-3, other trainable
parameters lr 1e-4) for two steps on one fixed batch with the 'freeze' strategy (layer1..layer4 frozen),
and writes the batch, the losses, selected parameters and eval-mode logits to an .npz file that DJL
can read with NDList.decode.

usage: make_parity_fixture.py MODEL.pt OUT.npz
"""
import sys

import numpy as np
import torch
import torch.nn as nn

model_path, out_path = sys.argv[1], sys.argv[2]
torch.manual_seed(0)
model = torch.jit.load(model_path)
for name, p in model.named_parameters():
    p.requires_grad = not name.startswith(("layer1.", "layer2.", "layer3.", "layer4."))
head = [p for n, p in model.named_parameters() if n.startswith("fc.")]
backbone = [p for n, p in model.named_parameters() if not n.startswith("fc.") and p.requires_grad]
opt = torch.optim.AdamW([{"params": backbone, "lr": 1e-4}, {"params": head, "lr": 1e-3}], weight_decay=1e-4)

n, s = 6, 32
x = torch.randn(n, 3, s, s, generator=torch.Generator().manual_seed(1))
y = torch.tensor([0, 3, 5, 7, 9, 3], dtype=torch.int64)
model.train()
losses = []
for _ in range(2):
    opt.zero_grad()
    loss = nn.CrossEntropyLoss()(model(x), y)
    loss.backward()
    opt.step()
    losses.append(loss.item())
model.eval()
with torch.no_grad():
    logits = model(x)
params = dict(model.named_parameters())
np.savez(out_path,
         input=x.numpy(), labels=y.numpy(), losses=np.array(losses, dtype=np.float32),
         eval_logits=logits.numpy(),
         **{"param:" + k: params[k].detach().numpy() for k in ("conv1.weight", "bn1.weight", "fc.weight", "fc.bias")})
print("losses", losses)
