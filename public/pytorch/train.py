"""Continues training the exported Latent Lab model on MNIST in PyTorch, on the CPU or a GPU.

  python3 train.py --data DIR [--steps N] [--device cpu|cuda] [--out FILE]

DIR holds the MNIST IDX files (train-images-idx3-ubyte and train-labels-idx1-ubyte, plain or
.gz), e.g. the lab's datasets/mnist; nothing is downloaded then. Without --data, ./mnist is
used, and with --download torchvision (when installed) fetches MNIST into it. A model with a
code per training image (GLO) trains on the first trainCount images of DIR, the ones its codes
belong to (the lab's training set, in the files' order). The conditional VAE trains on the
images with their labels (train-labels-idx1-ubyte), as in the lab.

Same as the lab: the model, its loss, Adam (beta1 0.9, beta2 0.999, eps 1e-7 as in TF.js) with
the learning rate, the batch size, the binarisation, the schedules (they continue from the
exported step) and the seed. Not the same: PyTorch's random numbers (shuffles, eps, Gumbel
noise) differ from TF.js's, and Adam's moments start afresh. One JSON line per --log-every
steps; at the end the weights go to --out and the probe-digit terms (noise fixed) are printed.
"""
import argparse
import gzip
import json
import os
import struct
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import CONFIG, HERE, build_model, load_probes, probe_terms, save_safetensors  # noqa: E402


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    (magic,) = struct.unpack(">I", data[:4])
    rank = magic & 0xFF
    dims = struct.unpack(">" + "I" * rank, data[4 : 4 + 4 * rank])
    return torch.frombuffer(bytearray(data[4 + 4 * rank :]), dtype=torch.uint8).reshape(dims)


def find(folder, stem):
    for name in (stem, stem + ".gz", stem.replace("-idx", ".idx"), stem.replace("-idx", ".idx") + ".gz"):
        if os.path.exists(os.path.join(folder, name)):
            return os.path.join(folder, name)
    return None


def load_mnist(folder, download):
    path = find(folder, "train-images-idx3-ubyte")
    if path is None and download:
        try:
            import torchvision
        except ImportError:
            sys.exit("--download needs torchvision; or pass --data DIR with the MNIST IDX files")
        torchvision.datasets.MNIST(folder, train=True, download=True)
        path = find(os.path.join(folder, "MNIST", "raw"), "train-images-idx3-ubyte")
    if path is None:
        sys.exit("no MNIST training images (train-images-idx3-ubyte[.gz]) in %s: pass --data DIR, e.g. the lab's datasets/mnist, or --download" % folder)
    images = read_idx(path)
    labels_path = find(os.path.dirname(path), "train-labels-idx1-ubyte")
    labels = read_idx(labels_path).long() if labels_path else None
    return images.reshape(images.shape[0], -1).float() / 255, labels


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default=os.path.join(HERE, "mnist"), help="folder with the MNIST IDX files")
    p.add_argument("--download", action="store_true", help="fetch MNIST with torchvision when --data has none")
    p.add_argument("--steps", type=int, default=None, help="optimiser steps (default: one epoch)")
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--seed", type=int, default=CONFIG["seed"])
    p.add_argument("--log-every", type=int, default=100)
    p.add_argument("--out", default=os.path.join(HERE, "model-trained.safetensors"))
    a = p.parse_args()

    device = torch.device(a.device)
    torch.manual_seed(a.seed)
    shuffle = torch.Generator().manual_seed(a.seed)
    noise = torch.Generator(device=device).manual_seed(a.seed + 1)
    x_all, y_all = load_mnist(a.data, a.download)
    if x_all.shape[1] != CONFIG["pixels"]:
        sys.exit("the data has %d pixels per image, the model %d" % (x_all.shape[1], CONFIG["pixels"]))
    model = build_model().to(device).train()
    if getattr(model, "NEEDS_LABELS", False) and y_all is None:  # the conditional VAE
        sys.exit("the model needs the labels of the images: no train-labels-idx1-ubyte[.gz] next to the images")
    per_image = getattr(model, "PER_IMAGE_CODES", False)  # GLO: row i of its codes is image i
    if per_image:
        count = CONFIG["trainCount"]
        if x_all.shape[0] < count:
            sys.exit("the model has a code for each of %d training images, the data %d" % (count, x_all.shape[0]))
        x_all, y_all = x_all[:count], None if y_all is None else y_all[:count]
    if CONFIG["binarize"] == "static":
        x_all = torch.bernoulli(x_all, generator=shuffle)
    x_all = x_all.to(device)
    y_all = None if y_all is None else y_all.to(device)
    n, batch = x_all.shape[0], CONFIG["batchSize"]
    steps = a.steps if a.steps is not None else n // batch

    if getattr(model, "FITTED", False):  # fitted without gradients (PCA, k-means, mixtures)
        terms = model.fit(x_all, y_all)
        print(json.dumps({"step": CONFIG["step"] + 1, "train": terms}), flush=True)
        steps, step = 0, CONFIG["step"] + 1
    else:
        step = CONFIG["step"]
    params = [q for q in model.parameters() if q.requires_grad]
    opt = torch.optim.Adam(params, lr=CONFIG["learningRate"], betas=(0.9, 0.999), eps=1e-7) if params else None
    order, cursor = torch.randperm(n, generator=shuffle), 0
    sums, count, start = {}, 0, time.time()
    for _ in range(steps):
        if cursor + batch > n:  # the lab drops the last partial batch of an epoch
            order, cursor = torch.randperm(n, generator=shuffle), 0
        rows = order[cursor : cursor + batch].to(device)
        xb, yb = x_all[rows], None if y_all is None else y_all[rows]
        cursor += batch
        if CONFIG["binarize"] == "dynamic":
            xb = torch.bernoulli(xb, generator=noise)
        step += 1
        terms, total = model.loss(xb, step, noise, yb, **({"rows": rows} if per_image else {}))
        opt.zero_grad()
        total.backward()
        opt.step()
        model.after_step()
        if step % 200 == 0:
            idx = torch.randperm(n, generator=shuffle)[:256].to(device)
            for event in model.maintain(x_all[idx], step, noise):
                print(event, file=sys.stderr)
        for k, v in terms.items():
            sums[k] = sums.get(k, 0.0) + v.item()
        count += 1
        if count == a.log_every or _ == steps - 1:
            line = {"step": step, "train": {k: round(v / count, 4) for k, v in sums.items()}}
            line["imagesPerSec"] = round(count * batch / max(time.time() - start, 1e-9))
            print(json.dumps(line), flush=True)
            sums, count, start = {}, 0, time.time()
    model.eval()
    tensors = dict(model.state_dict())
    save_safetensors(tensors, a.out, {"step": step})
    # The probe terms of the trained model; a model without an encoder infers the probe digits'
    # codes anew (the exported ones belong to the exported decoder).
    x, labels, _ = load_probes()
    terms = probe_terms(model, x.to(device), labels.to(device))
    print(json.dumps({"step": step, "probeTerms": terms}))
    print("saved %s (step %d)" % (a.out, step), file=sys.stderr)


if __name__ == "__main__":
    main()
