# ---------------------------------------------------------------------------------------------
# Shared pieces: safetensors I/O, likelihoods, TF.js-compatible convolutions, the networks and
# the schedules. Layouts are PyTorch's (NCHW); the weights were permuted at export so that these
# modules compute what the lab's TF.js modules (NHWC) computed.
# ---------------------------------------------------------------------------------------------
import json
import math
import os
import struct
import sys

import torch
import torch.nn.functional as F
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
_DTYPES = {"F32": torch.float32, "U8": torch.uint8, "I64": torch.int64}


def load_safetensors(path):
    """name -> tensor; with the safetensors package when installed, else these few lines."""
    try:
        from safetensors.torch import load_file
    except ImportError:
        load_file = None
    if load_file is not None:
        return load_file(path)
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    out = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        begin, end = spec["data_offsets"]
        raw = bytearray(data[8 + n + begin : 8 + n + end])
        out[name] = torch.frombuffer(raw, dtype=_DTYPES[spec["dtype"]]).reshape(spec["shape"])
    return out


def save_safetensors(tensors, path, metadata=None):
    """Writes name -> float32 tensor in the safetensors format (no package needed)."""
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    for name, t in tensors.items():
        t = t.detach().to("cpu", torch.float32).contiguous()
        try:
            blob = t.numpy().astype("<f4").tobytes()
        except (RuntimeError, ImportError):  # PyTorch without NumPy
            blob = struct.pack("<%df" % t.numel(), *t.flatten().tolist())
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


# --- likelihoods, per image in nats ------------------------------------------------------------


def bernoulli_nll(logits, x):
    """-log p(x | logits) summed over pixels: softplus(l) - x l, in its stable form.  [B,P] -> [B]"""
    return (F.relu(logits) - x * logits + torch.log1p(torch.exp(-logits.abs()))).sum(1)


def gaussian_nll_of_mean(mean, x, sigma):
    """-log N(x; mean, sigma^2 I) = ||x - mean||^2 / (2 sigma^2) + (P/2) log(2 pi sigma^2)."""
    sq = (x - mean).pow(2).sum(1)
    return sq / (2 * sigma * sigma) + 0.5 * x.shape[1] * math.log(2 * math.pi * sigma * sigma)


def gaussian_nll(logits, x, sigma):
    """-log N(x; sigmoid(l), sigma^2 I)"""
    return gaussian_nll_of_mean(torch.sigmoid(logits), x, sigma)


def reconstruction_nll(logits, x):
    if CONFIG.get("likelihood", "bernoulli") == "gaussian":
        return gaussian_nll(logits, x, CONFIG["sigma"])
    return bernoulli_nll(logits, x)


class _StraightThrough(torch.autograd.Function):
    """Forward: tgt exactly; backward: the gradient goes to src unchanged, none to tgt."""

    @staticmethod
    def forward(ctx, src, tgt):
        return tgt.clone()

    @staticmethod
    def backward(ctx, grad):
        return grad, None


def straight_through(src, tgt):
    return _StraightThrough.apply(src, tgt)


# --- convolutions with TensorFlow's 'same' padding ----------------------------------------------


def same_pads(size, kernel, stride):
    """TF 'same': output ceil(size/stride); the odd pixel of padding goes after (bottom/right)."""
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


class SameConv2d(nn.Conv2d):
    """nn.Conv2d with TF.js's padding='same' (asymmetric for stride 2: 0 before, 1 after)."""

    def __init__(self, cin, cout, kernel, stride):
        super().__init__(cin, cout, kernel, stride, padding=0)

    def forward(self, x):
        k, s = self.kernel_size[0], self.stride[0]
        top, bottom = same_pads(x.shape[2], k, s)
        left, right = same_pads(x.shape[3], k, s)
        return super().forward(F.pad(x, (left, right, top, bottom)))


class SameConvTranspose2d(nn.ConvTranspose2d):
    """TF.js's conv2dTranspose(..., 'same'): output size x stride. The full transposed convolution
    ((H-1)s + k rows) is cropped where the forward 'same' convolution padded."""

    def __init__(self, cin, cout, kernel, stride):
        super().__init__(cin, cout, kernel, stride, padding=0)

    def forward(self, x):
        k, s = self.kernel_size[0], self.stride[0]
        h, w = x.shape[2] * s, x.shape[3] * s
        top, _ = same_pads(h, k, s)
        left, _ = same_pads(w, k, s)
        return super().forward(x)[:, :, top : top + h, left : left + w]


# --- networks (the lab's src/models/layers) -----------------------------------------------------


def act(h, activation):
    return F.relu(h) if activation == "relu" else h


class DenseAct(nn.Module):
    """x [B,in] -> act(x W^T + b) [B,out]"""

    def __init__(self, cin, cout, activation):
        super().__init__()
        self.dense = nn.Linear(cin, cout)
        self.activation = activation

    def forward(self, x):
        return act(self.dense(x), self.activation)


class Mlp(nn.Module):
    """x [B,in] -> act(hidden) [B,H] -> out [B,out]"""

    def __init__(self, cin, hidden, cout, activation):
        super().__init__()
        self.hidden = nn.Linear(cin, hidden)
        self.out = nn.Linear(hidden, cout)
        self.activation = activation

    def forward(self, x):
        return self.out(act(self.hidden(x), self.activation))


class ConvFeatures(nn.Module):
    """x [B,784] -> [B,1,28,28] -> conv3 s2 (32) -> ReLU -> conv3 s2 (64) -> ReLU -> [B,64*7*7]
    (flattened C,H,W: the dense layer after it was permuted from TF.js's H,W,C order)."""

    def __init__(self):
        super().__init__()
        self.c1 = SameConv2d(1, 32, 3, 2)
        self.c2 = SameConv2d(32, 64, 3, 2)

    def forward(self, x):
        img = x.reshape(-1, 1, 28, 28)
        return F.relu(self.c2(F.relu(self.c1(img)))).flatten(1)


class ConvImageDecoder(nn.Module):
    """z [B,D] -> dense -> ReLU -> [B,32,7,7] -> convT3 s2 (64) -> ReLU -> convT3 s2 (32) -> ReLU
    -> conv3 s1 (1) -> logits [B,784]"""

    def __init__(self, latent):
        super().__init__()
        self.dense = nn.Linear(latent, 7 * 7 * 32)
        self.t1 = SameConvTranspose2d(32, 64, 3, 2)
        self.t2 = SameConvTranspose2d(64, 32, 3, 2)
        self.out = SameConv2d(32, 1, 3, 1)

    def forward(self, z):
        h = F.relu(self.dense(z)).reshape(-1, 32, 7, 7)
        h = F.relu(self.t2(F.relu(self.t1(h))))
        return self.out(h).flatten(1)


class ConvEncoder(nn.Module):
    """x [B,784] -> conv3 s2 (h) -> ReLU -> conv3 s2 (2h) -> ReLU -> conv1 (C) -> [B,C,7,7]"""

    def __init__(self, hidden, cout):
        super().__init__()
        self.c1 = SameConv2d(1, hidden, 3, 2)
        self.c2 = SameConv2d(hidden, 2 * hidden, 3, 2)
        self.c3 = SameConv2d(2 * hidden, cout, 1, 1)

    def forward(self, x):
        return self.c3(F.relu(self.c2(F.relu(self.c1(x.reshape(-1, 1, 28, 28))))))


class ConvDecoder(nn.Module):
    """z [B,C,7,7] -> convT3 s2 (2h) -> ReLU -> convT3 s2 (h) -> ReLU -> conv3 (1) -> logits [B,784]"""

    def __init__(self, cin, hidden):
        super().__init__()
        self.t1 = SameConvTranspose2d(cin, 2 * hidden, 3, 2)
        self.t2 = SameConvTranspose2d(2 * hidden, hidden, 3, 2)
        self.out = SameConv2d(hidden, 1, 3, 1)

    def forward(self, z):
        return self.out(F.relu(self.t2(F.relu(self.t1(z))))).flatten(1)


def grid_positions(t):
    """[B,C,7,7] -> [B,49,C], positions in row-major (h, w) order as the lab numbers them."""
    return t.permute(0, 2, 3, 1).reshape(t.shape[0], -1, t.shape[1])


def grid_image(t):
    """[B,49,C] -> [B,C,7,7]"""
    return t.reshape(t.shape[0], 7, 7, t.shape[2]).permute(0, 3, 1, 2)


# --- schedules (the lab's src/core/schedules.ts) ------------------------------------------------


def kl_weight(step):
    """w(t) = beta x the warm-up ramp."""
    beta, kind, n = CONFIG["beta"], CONFIG.get("warmup", "none"), CONFIG.get("warmupSteps", 0)
    if kind == "none":
        return beta
    x = 1.0 if n <= 0 else min(1.0, max(0, step) / n)
    if kind == "linear":
        return beta * x
    k = 10.0  # sigmoid sharpness
    s = lambda a: 1 / (1 + math.exp(-a))
    return beta * (s(k * (x - 0.5)) - s(-k / 2)) / (s(k / 2) - s(-k / 2))


def temperature(step):
    """Gumbel-softmax tau(t): constant, Jang et al.'s exp decay (updated every 1000 steps), or DALL-E's cosine."""
    t, kind = max(0, step), CONFIG["tauSchedule"]
    if kind == "constant":
        return CONFIG["tauEnd"]
    if kind == "exp":
        return max(CONFIG["tauEnd"], math.exp(-CONFIG["tauRate"] * 1000 * (t // 1000)))
    n = CONFIG["tauSteps"]
    p = 1.0 if n <= 0 else min(1.0, t / n)
    return CONFIG["tauEnd"] + 0.5 * (1 - CONFIG["tauEnd"]) * (1 + math.cos(math.pi * p))


# --- Gumbel-softmax pieces (the lab's src/ops/gumbel.ts) ----------------------------------------


def gumbel_codes(logits, step, generator):
    """y = softmax((l + g)/tau), g ~ Gumbel (uniforms clipped to [1e-7, 1 - 1e-7]); one-hot forward
    with soft gradients when CONFIG["hard"]."""
    u = torch.rand(logits.shape, generator=generator, device=logits.device).clamp(1e-7, 1 - 1e-7)
    soft = torch.softmax((logits - torch.log(-torch.log(u))) / temperature(step), -1)
    if not CONFIG["hard"]:
        return soft
    hard = F.one_hot(soft.argmax(-1), logits.shape[-1]).to(soft.dtype)
    return straight_through(soft, hard)


def most_likely_codes(logits):
    """The noise-free code: one_hot(argmax l), tau-free."""
    return F.one_hot(logits.argmax(-1), logits.shape[-1]).to(logits.dtype)


def categorical_kl_to_uniform(logits):
    """sum over positions of KL(softmax(l) || Uniform(K)).  [B,N,K] -> [B]"""
    log_q = torch.log_softmax(logits, -1)
    return (log_q.exp() * (log_q + math.log(logits.shape[-1]))).sum(-1).sum(-1)


class LabModel(nn.Module):
    """What every exported model offers: terms(x, step, deterministic, generator, labels), the
    loss terms per image in nats; loss(x, step, generator, labels), the batch-mean terms and the
    objective the lab minimises. `labels` (int64 [B]) is for the models that read them."""

    def after_step(self):
        pass

    def maintain(self, x, step, generator):
        return []
