#!/usr/bin/env python3
"""PyTorch reference for `npm run bench` (optional: scripts/bench/torch.mjs runs it only when
`import torch` works). Trains the bench's five models with the same layer layouts as
src/models/*.ts on the CPU with 2 threads, Adam 1e-3, batch 128 of MNIST from datasets/, and
prints one JSON line per model on stdout:

  {"model": "mlp-vae", "imagesPerSec": …, "stepMs": [...], "firstStepMs": …, "firstLoss": …}

imagesPerSec is the median over timed rounds after warm-up, as measureTrainingRate does
(src/train/measure-rate.ts); the round plan comes from scripts/bench/plan.mjs (--plans JSON).

Layouts (NCHW here, NHWC in TF.js; the same shapes and multiply-adds):
  mlp-vae   x [B,784] → Linear 512 → ReLU → (μ, log σ²) [B,2] each; z → Linear 512 → ReLU → Linear 784
  conv-vae  x [B,1,28,28] → conv3 s2 32 → ReLU → conv3 s2 64 → ReLU → [B,3136] → (μ, log σ²) [B,2]
            z → Linear 1568 → ReLU → [B,32,7,7] → convT3 s2 64 → ReLU → convT3 s2 32 → ReLU
              → conv3 s1 1 → logits [B,784]                    (layers/conv-image-nets.ts)
  vq-vae    conv3 s2 32 → ReLU → conv3 s2 64 → ReLU → conv1 16 → z_e [B,16,7,7]; nearest of K=64
            codes (straight-through); convT3 s2 64 → ReLU → convT3 s2 32 → ReLU → conv3 1
            loss recon + ‖sg[z_e] − z_q‖² + 0.25‖z_e − sg[z_q]‖² per image; k-means++ codebook
            from the first batch (layers/conv-nets.ts, vq-vae.ts)
  dvae      the same encoder to 64 logits per position, Gumbel-softmax at the cosine τ(t),
            z = y · E (E [64,16]), the same decoder; loss recon + KL(q ‖ uniform) (dvae.ts)
  prior     a causal transformer over a frozen VQ-VAE's 7×7 codes (token-prior.ts,
            layers/transformer.ts, ops/attention.ts): input [K + y, c_0 … c_47] → embedding
            [K+11, W] + learned positions [49, W]; L pre-LayerNorm blocks h += drop(Attn(LN(h))),
            h += drop(MLP(LN(h))) with Attn = qkv Linear W→3W, h heads, causal mask, out W→W and
            MLP = W→4W→W with GELU (tanh form); final LayerNorm, head W→K; loss −Σ_t log p(c_t | …)
            per sequence (L 2, W 64, 4 heads, dropout 0.1: TRAIN_DEFAULTS). The codes: a
            VQ-VAE as above (random weights: speed does not depend on which codes) encodes all
            training images once before the first step, as ours does in trainer.prepare(); its
            time is in firstStepMs, not in the rate. imagesPerSec counts sequences (× 49 = tokens/s).
            The embedding is a lookup (ours multiplies a one-hot by E: TF.js's wasm backend has
            no UnsortedSegmentSum for a lookup's gradient); no label dropout (ours turns 10 % of
            the class tokens to "any"); the tokenizer finds codes only (ours also keeps each
            image's recon, a decoder pass).
TF's 'same' padding of a stride-2 3×3 conv pads 0 before and 1 after; PyTorch's padding=1 pads
1 on both sides: the same output sizes and cost, shifted by one pixel.
"""
import argparse
import gzip
import json
import math
import os
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
BATCH = 128
K, D, H = 64, 16, 32  # codebook size, code size, conv channels h (TRAIN_DEFAULTS)
LAYERS, WIDTH, HEADS, DROPOUT = 2, 64, 4, 0.1  # the prior's transformer (TRAIN_DEFAULTS)
CLASS_TOKENS, POSITIONS = 11, 49  # class tokens (10 digits, then "any"); codes per image


def load_mnist_train():
    """The 60,000 training images as floats in [0, 1].   → [60000, 784]"""
    path = os.path.join(ROOT, "datasets", "mnist", "train-images-idx3-ubyte.gz")
    with gzip.open(path, "rb") as f:
        raw = f.read()
    n = int.from_bytes(raw[4:8], "big")
    pixels = torch.frombuffer(bytearray(raw[16:]), dtype=torch.uint8)
    return pixels.reshape(n, 784).float() / 255.0


def load_mnist_train_labels():
    """The 60,000 training labels.   → int64 [60000]"""
    path = os.path.join(ROOT, "datasets", "mnist", "train-labels-idx1-ubyte.gz")
    with gzip.open(path, "rb") as f:
        raw = f.read()
    return torch.frombuffer(bytearray(raw[8:]), dtype=torch.uint8).long()


def bernoulli_nll(logits, x):
    """Σ_pixels BCE with logits, mean over images (nats per image).   [B,784] → []"""
    return F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / x.shape[0]


def gaussian_kl(mu, log_var):
    """Σ_d KL(N(μ, σ²) ‖ N(0, 1)), mean over images.   [B,D] → []"""
    return 0.5 * (mu.pow(2) + log_var.exp() - 1 - log_var).sum() / mu.shape[0]


def conv_encoder(out_channels):
    """x [B,1,28,28] → [B,C,7,7] (layers/conv-nets.ts ConvEncoder)"""
    return nn.Sequential(
        nn.Conv2d(1, H, 3, 2, 1), nn.ReLU(),
        nn.Conv2d(H, 2 * H, 3, 2, 1), nn.ReLU(),
        nn.Conv2d(2 * H, out_channels, 1),
    )


def conv_decoder(in_channels, hidden=H):
    """z [B,C,7,7] → logits [B,1,28,28] (ConvDecoder; ConvImageDecoder after its dense layer)"""
    return nn.Sequential(
        nn.ConvTranspose2d(in_channels, 2 * hidden, 3, 2, 1, output_padding=1), nn.ReLU(),
        nn.ConvTranspose2d(2 * hidden, hidden, 3, 2, 1, output_padding=1), nn.ReLU(),
        nn.Conv2d(hidden, 1, 3, 1, 1),
    )


class MlpVae(nn.Module):
    def __init__(self, hidden=512, latent=2):
        super().__init__()
        self.body = nn.Linear(784, hidden)
        self.mu = nn.Linear(hidden, latent)
        self.log_var = nn.Linear(hidden, latent)
        self.dec = nn.Sequential(nn.Linear(latent, hidden), nn.ReLU(), nn.Linear(hidden, 784))

    def loss(self, x, step):
        h = F.relu(self.body(x))
        mu, log_var = self.mu(h), self.log_var(h)
        z = mu + torch.exp(0.5 * log_var) * torch.randn_like(mu)
        return bernoulli_nll(self.dec(z), x) + gaussian_kl(mu, log_var)


class ConvVae(nn.Module):
    def __init__(self, latent=2):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 32, 3, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 3, 2, 1), nn.ReLU()
        )
        self.mu = nn.Linear(3136, latent)
        self.log_var = nn.Linear(3136, latent)
        self.dense = nn.Linear(latent, 7 * 7 * 32)
        self.dec = conv_decoder(32, hidden=32)  # convT 64, convT 32, conv 1

    def loss(self, x, step):
        B = x.shape[0]
        h = self.body(x.view(B, 1, 28, 28)).flatten(1)
        mu, log_var = self.mu(h), self.log_var(h)
        z = mu + torch.exp(0.5 * log_var) * torch.randn_like(mu)
        logits = self.dec(F.relu(self.dense(z)).view(B, 32, 7, 7)).view(B, 784)
        return bernoulli_nll(logits, x) + gaussian_kl(mu, log_var)


def kmeans_plus_plus(points, k, iterations=10):
    """k-means++ seeding then Lloyd iterations (tf/vector-quantize.ts kmeansInit).  [M,D] → [k,D]"""
    M = points.shape[0]
    centres = [points[torch.randint(M, (1,)).item()]]
    d2 = ((points - centres[0]) ** 2).sum(1)
    for _ in range(1, k):
        row = torch.multinomial(d2 / d2.sum(), 1).item() if d2.sum() > 0 else torch.randint(M, (1,)).item()
        centres.append(points[row])
        d2 = torch.minimum(d2, ((points - points[row]) ** 2).sum(1))
    c = torch.stack(centres)
    for _ in range(iterations):
        assign = torch.cdist(points, c).argmin(1)
        one_hot = F.one_hot(assign, k).float()
        counts = one_hot.sum(0)
        sums = one_hot.t() @ points
        c = torch.where(counts[:, None] > 0, sums / counts.clamp(min=1)[:, None], c)
    return c


class VqVae(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = conv_encoder(D)
        self.dec = conv_decoder(D)
        self.codebook = nn.Parameter(torch.empty(K, D).uniform_(-1 / K, 1 / K))
        self.register_buffer("usage", torch.zeros(K))

    def encode_flat(self, x):
        """x [B,784] → z_e [B·49, D] (position-major within each image, like the TF.js layout)"""
        B = x.shape[0]
        return self.enc(x.view(B, 1, 28, 28)).permute(0, 2, 3, 1).reshape(-1, D)

    @torch.no_grad()
    def initialize(self, x):
        self.codebook.copy_(kmeans_plus_plus(self.encode_flat(x), K))

    def loss(self, x, step):
        B = x.shape[0]
        ze = self.encode_flat(x)
        e = self.codebook
        with torch.no_grad():
            dist = ze.pow(2).sum(1, keepdim=True) - 2 * ze @ e.t() + e.pow(2).sum(1)[None, :]
            one_hot = F.one_hot(dist.argmin(1), K).float()  # [B·49, K]
            self.usage += one_hot.sum(0)
        zq = one_hot @ e
        z_in = ze + (zq - ze).detach()  # straight-through
        logits = self.dec(z_in.view(B, 7, 7, D).permute(0, 3, 1, 2)).view(B, 784)
        codebook = (ze.detach() - zq).pow(2).sum() / B
        commitment = (ze - zq.detach()).pow(2).sum() / B
        return bernoulli_nll(logits, x) + codebook + 0.25 * commitment


class Dvae(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = conv_encoder(K)
        self.dec = conv_decoder(D)
        self.embedding = nn.Parameter(torch.randn(K, D))

    @staticmethod
    def tau(step, tau_end=1 / 16, steps=10_000):
        """The cosine schedule from 1 to τ_end over `steps` (core/schedules.ts)."""
        progress = min(max(step, 0), steps) / steps
        return tau_end + 0.5 * (1 - tau_end) * (1 + math.cos(math.pi * progress))

    def loss(self, x, step):
        B = x.shape[0]
        logits = self.enc(x.view(B, 1, 28, 28)).permute(0, 2, 3, 1).reshape(B, 49, K)
        u = torch.rand_like(logits).clamp(1e-7, 1 - 1e-7)
        g = -torch.log(-torch.log(u))
        y = torch.softmax((logits + g) / self.tau(step), -1)
        z = (y.reshape(B * 49, K) @ self.embedding).view(B, 7, 7, D).permute(0, 3, 1, 2)
        recon = bernoulli_nll(self.dec(z).view(B, 784), x)
        log_q = torch.log_softmax(logits, -1)
        kl = (log_q.exp() * (log_q + math.log(K))).sum() / B
        return recon + kl


class PriorBlock(nn.Module):
    """One pre-LayerNorm block: causal multi-head attention, then the MLP.   [B,T,W] → [B,T,W]"""

    def __init__(self):
        super().__init__()
        self.ln1 = nn.LayerNorm(WIDTH)
        self.qkv = nn.Linear(WIDTH, 3 * WIDTH)
        self.proj = nn.Linear(WIDTH, WIDTH)
        self.ln2 = nn.LayerNorm(WIDTH)
        self.fc = nn.Linear(WIDTH, 4 * WIDTH)
        self.out = nn.Linear(4 * WIDTH, WIDTH)
        self.drop = nn.Dropout(DROPOUT)
        mask = torch.triu(torch.full((POSITIONS, POSITIONS), -1e9), diagonal=1)
        self.register_buffer("mask", mask)  # 0 on and below the diagonal, −1e9 above  [T,T]

    def forward(self, h):
        B, T, W = h.shape
        d = W // HEADS
        q, k, v = self.qkv(self.ln1(h)).view(B, T, 3, HEADS, d).permute(2, 0, 3, 1, 4)  # [B,h,T,d]
        scores = q @ k.transpose(-2, -1) / math.sqrt(d) + self.mask[:T, :T]  # [B,h,T,T]
        o = (torch.softmax(scores, -1) @ v).transpose(1, 2).reshape(B, T, W)
        h = h + self.drop(self.proj(o))
        return h + self.drop(self.out(F.gelu(self.fc(self.ln2(h)), approximate="tanh")))


class TokenPrior(nn.Module):
    def __init__(self):
        super().__init__()
        self.tokens = nn.Embedding(K + CLASS_TOKENS, WIDTH)
        self.positions = nn.Parameter(torch.randn(POSITIONS, WIDTH) * 0.02)
        nn.init.normal_(self.tokens.weight, 0, 0.02)
        self.blocks = nn.ModuleList(PriorBlock() for _ in range(LAYERS))
        self.ln_f = nn.LayerNorm(WIDTH)
        self.head = nn.Linear(WIDTH, K)

    @staticmethod
    @torch.no_grad()
    def prepare_data(images, labels):
        """Every training image's codes from a frozen VQ-VAE, 500 at a time.   → ([N,49], [N])"""
        tokenizer = VqVae().eval()
        codes = []
        for start in range(0, images.shape[0], 500):
            ze = tokenizer.encode_flat(images[start : start + 500])  # [n·49, D]
            codes.append(torch.cdist(ze, tokenizer.codebook).argmin(1).view(-1, POSITIONS))
        return torch.cat(codes), labels

    def loss(self, batch, step):
        codes, labels = batch  # [B,49] int64, [B] int64
        B = codes.shape[0]
        inputs = torch.cat([(K + labels)[:, None], codes[:, :-1]], 1)  # [B,49]
        h = self.tokens(inputs) + self.positions
        for block in self.blocks:
            h = block(h)
        logits = self.head(self.ln_f(h))  # [B,49,K]
        return F.cross_entropy(logits.reshape(-1, K), codes.reshape(-1), reduction="sum") / B


MODELS = {
    "mlp-vae": MlpVae,
    "conv-vae": ConvVae,
    "vq-vae": VqVae,
    "dvae": Dvae,
    "prior": TokenPrior,
}


def measure(name, images, labels, plan, seed=1):
    torch.manual_seed(seed)
    N = images.shape[0]
    order = torch.randperm(N)
    cursor = 0
    data = images

    def next_batch():
        nonlocal order, cursor
        if cursor + BATCH > N:
            order, cursor = torch.randperm(N), 0
        idx = order[cursor : cursor + BATCH]
        cursor += BATCH
        return tuple(d[idx] for d in data) if isinstance(data, tuple) else data[idx]

    t0 = time.perf_counter()
    model = MODELS[name]()
    if hasattr(model, "prepare_data"):
        data = model.prepare_data(images, labels)  # the prior's codes: once, before any step
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    step = 0

    def train_step():
        nonlocal step
        step += 1
        x = next_batch()
        if step == 1 and hasattr(model, "initialize"):
            model.initialize(x)
        optimizer.zero_grad(set_to_none=True)
        loss = model.loss(x, step)
        loss.backward()
        optimizer.step()
        return loss.item()

    first_loss = train_step()
    first_ms = (time.perf_counter() - t0) * 1000

    def round_ms():
        start = time.perf_counter()
        for _ in range(plan["stepsPerRound"]):
            train_step()
        return (time.perf_counter() - start) * 1000 / plan["stepsPerRound"]

    for _ in range(plan["warmupRounds"]):
        round_ms()
    step_ms = []
    timed_start = time.perf_counter()
    for _ in range(max(1, plan["rounds"])):
        step_ms.append(round_ms())
        if time.perf_counter() - timed_start > plan["maxSeconds"]:
            break
    return {
        "model": name,
        "imagesPerSec": BATCH * 1000 / statistics.median(step_ms),
        "stepMs": step_ms,
        "firstStepMs": first_ms,
        "firstLoss": first_loss,
    }


def gemm_probe():
    """PyTorch's own GEMM (1024³, float32) on 1 thread and on 2, in GFLOP/s: how much a second
    thread adds on this machine for compute-bound work (two vCPUs may share one core's SIMD
    units). Printed as one JSON line {"probe": "gemm", "oneThread": …, "twoThreads": …}."""
    a = torch.randn(1024, 1024)
    b = torch.randn(1024, 1024)
    rates = {}
    for key, threads in (("oneThread", 1), ("twoThreads", 2)):
        torch.set_num_threads(threads)
        for _ in range(3):
            a @ b
        best = math.inf
        for _ in range(5):  # the best of 5 rounds of 8 products: the least disturbed
            start = time.perf_counter()
            for _ in range(8):
                a @ b
            best = min(best, time.perf_counter() - start)
        rates[key] = round(8 * 2 * 1024**3 / best / 1e9, 1)
    return {"probe": "gemm", **rates}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--plans", required=True, help="JSON: model → round plan")
    args = parser.parse_args()
    print(json.dumps(gemm_probe()), flush=True)
    torch.set_num_threads(2)
    plans = json.loads(args.plans)
    images = load_mnist_train()
    labels = load_mnist_train_labels()
    for name in args.models.split(","):
        print(f"{name}…", file=sys.stderr, flush=True)
        print(json.dumps(measure(name, images, labels, plans[name])), flush=True)


if __name__ == "__main__":
    main()
