# ---------------------------------------------------------------------------------------------
# Categorical VAE of Jang, Gu & Poole 2016 (the lab's src/models/categorical-vae.ts):
#   encoder x -> 512 -> 256 (ReLU) -> logits [B,N,K];  y = softmax((l + g)/tau)
#   decoder y [B,N*K] -> 256 -> 512 (ReLU) -> logits [B,P]
#   recon = -log p(x|y) (Bernoulli), kl = sum_n KL(q(c_n|x) || Uniform(K)); objective recon + beta kl
# With the noise fixed, y = one_hot(argmax l).
# ---------------------------------------------------------------------------------------------
class Model(LabModel):
    TERMS = ["negElbo", "recon", "kl"]

    def __init__(self, c):
        super().__init__()
        nk = c["categorical"] * c["classes"]
        sizes = [c["pixels"], 512, 256, nk, 256, 512, c["pixels"]]
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))

    def _run(self, h, a, b):
        for i in range(a, b):
            h = self.layers[i](h)
            if i < b - 1:
                h = F.relu(h)
        return h

    def _forward(self, x, step, deterministic, generator):
        logits = self._run(x, 0, 3).reshape(x.shape[0], CONFIG["categorical"], CONFIG["classes"])
        y = most_likely_codes(logits) if deterministic else gumbel_codes(logits, step, generator)
        recon = bernoulli_nll(self._run(y.flatten(1), 3, 6), x)
        return recon, categorical_kl_to_uniform(logits)

    def terms(self, x, step=0, deterministic=True, generator=None, labels=None):
        recon, kl = self._forward(x, step, deterministic, generator)
        return {"negElbo": recon + kl, "recon": recon, "kl": kl}

    def loss(self, x, step, generator, labels=None):
        recon, kl = self._forward(x, step, False, generator)
        terms = {"negElbo": (recon + kl).mean(), "recon": recon.mean(), "kl": kl.mean()}
        return terms, recon.mean() + CONFIG["beta"] * kl.mean()
