# ---------------------------------------------------------------------------------------------
# Loading, the probe-digit evaluation and the command line.
# ---------------------------------------------------------------------------------------------


def build_model(weights=os.path.join(HERE, "model.safetensors")):
    """The model with the exported weights (names and shapes checked by load_state_dict)."""
    model = Model(CONFIG)
    state = load_safetensors(weights)
    model.load_state_dict({k: v.float() for k, v in state.items()}, strict=True)
    return model


def load_probes(path=os.path.join(HERE, "probes.safetensors")):
    """The lab's fixed probe digits: x [N,P] in [0,1] (binarised as the run was), labels [N],
    and what else the model's terms() reads about them, as keyword arguments (a model without an
    encoder: codes [N,d], the codes the lab decoded them from; else nothing).
    x is stored as grey levels 0..255 (uint8) when level/255 gives the lab's pixels exactly."""
    probes = load_safetensors(path)
    x = probes.pop("x")
    x = x.float() / 255 if x.dtype == torch.uint8 else x.float()
    labels = probes.pop("labels").long()
    return x, labels, {k: v.float() for k, v in probes.items()}


@torch.no_grad()
def probe_terms(model, x, labels=None, extra=None, chunk=500):
    """Mean loss terms over the probe digits with the noise fixed, in nats per image. `extra`:
    per-image tensors [N,...] that terms() takes as keyword arguments (load_probes gives them)."""
    sums = {}
    for start in range(0, x.shape[0], chunk):
        y = None if labels is None else labels[start : start + chunk]
        kw = {k: v[start : start + chunk] for k, v in (extra or {}).items()}
        for k, v in model.terms(x[start : start + chunk], CONFIG["step"], True, None, y, **kw).items():
            sums[k] = sums.get(k, 0.0) + v.double().sum().item()
    return {k: sums[k] / x.shape[0] for k in Model.TERMS}


def main():
    import argparse

    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--weights", default=os.path.join(HERE, "model.safetensors"))
    p.add_argument("--probes", default=os.path.join(HERE, "probes.safetensors"))
    p.add_argument("--check", action="store_true", help="compare with the lab's numbers (export.json); exit 1 if any differs by more than 1e-3 relative")
    a = p.parse_args()
    model = build_model(a.weights).eval()
    x, labels, extra = load_probes(a.probes)
    terms = probe_terms(model, x, labels, extra)
    print(json.dumps(terms))
    if a.check:
        with open(os.path.join(HERE, "export.json")) as f:
            lab = json.load(f)["probeTerms"]
        bad = [k for k in lab if abs(terms[k] - lab[k]) > 1e-3 * max(abs(lab[k]), 1e-6)]
        for k in bad:
            print("%s: PyTorch %.6f, the lab %.6f" % (k, terms[k], lab[k]), file=sys.stderr)
        sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
