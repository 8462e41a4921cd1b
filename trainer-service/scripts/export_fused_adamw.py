#!/usr/bin/env python3
"""Writes the TorchScript module behind the trainer's AdamW (trainer-engine's PyTorchAdamW).

The module has no parameters, only two methods that libtorch compiles when DJL loads the file:

  step(params, grads, exp_avgs, exp_avg_sqs, steps, lr, beta1, beta2, weight_decay, eps)
      steps += 1 on the device, then torch._fused_adamw_ (torch.optim.AdamW(fused=True)'s kernel: one pass over
      each parameter, no temporaries), then the gradients zeroed in place (zero_grad(set_to_none=False));
  zero_grad(grads)
      the gradients zeroed in place (a float16 step skipped for an overflow).

Why the source is written out here rather than scripted: the file must run in libtorch 2.7.1 (what DJL 0.36 loads),
while the Python at hand may be Debian's torch 1.13, which has no torch._fused_adamw_ (added in 2.0, CPU kernel since
2.4). A TorchScript archive stores its methods as source, compiled by the loading libtorch, so the script saves an
empty module with this torch for the archive's skeleton (data.pkl, constants.pkl, version) and replaces its code file
with the source below (dropping the debug_pkl that maps the old source). Entries are stored with a fixed date, so the
same torch gives the same bytes.

usage: export_fused_adamw.py OUT.pt   (the trainer's copy: trainer-engine/src/main/resources/optim/fused-adamw.pt)
"""
import io
import sys
import zipfile

import torch
from torch import Tensor

SOURCE = '''class FusedAdamW(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  _is_full_backward_hook : Optional[bool]
  def forward(self: __torch__.FusedAdamW,
    x: Tensor) -> Tensor:
    return x
  def step(self: __torch__.FusedAdamW,
    params: List[Tensor],
    grads: List[Tensor],
    exp_avgs: List[Tensor],
    exp_avg_sqs: List[Tensor],
    steps: List[Tensor],
    lr: float,
    beta1: float,
    beta2: float,
    weight_decay: float,
    eps: float) -> int:
    torch._foreach_add_(steps, 1.)
    torch._fused_adamw_(params, grads, exp_avgs, exp_avg_sqs, annotate(List[Tensor], []), steps, lr=lr, beta1=beta1, beta2=beta2, weight_decay=weight_decay, eps=eps, amsgrad=False, maximize=False, grad_scale=None, found_inf=None)
    torch._foreach_zero_(grads)
    return torch.len(params)
  def zero_grad(self: __torch__.FusedAdamW,
    grads: List[Tensor]) -> int:
    torch._foreach_zero_(grads)
    return torch.len(grads)
'''


class FusedAdamW(torch.nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return x


def main(out_path):
    skeleton = io.BytesIO()
    torch.jit.save(torch.jit.script(FusedAdamW()), skeleton)
    source = zipfile.ZipFile(io.BytesIO(skeleton.getvalue()))
    with zipfile.ZipFile(out_path, "w", zipfile.ZIP_STORED) as out:
        for entry in source.infolist():
            if entry.filename.endswith(".debug_pkl"):
                continue
            data = SOURCE.encode() if entry.filename.endswith("code/__torch__.py") else source.read(entry.filename)
            out.writestr(zipfile.ZipInfo(entry.filename, date_time=(1980, 1, 1, 0, 0, 0)), data)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
