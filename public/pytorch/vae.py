# ---------------------------------------------------------------------------------------------
# VAE (the lab's src/models/vae.ts):
#   encoder  x -> body -> (mu, log sigma^2)        z = mu + exp(log sigma^2 / 2) eps
#   recon = -log p(x|z), kl = sum_d 1/2 (mu^2 + sigma^2 - 1 - log sigma^2), -ELBO = recon + kl
#   objective: recon + w(t) sum_d max(lambda, batch-mean KL_d)        (lambda = free bits)
# ---------------------------------------------------------------------------------------------
class Model(LabModel):
    TERMS = ["negElbo", "recon", "kl"]

    def __init__(self, c):
        super().__init__()
        conv = c["arch"] == "conv"
        width = 7 * 7 * 64 if conv else c["hiddenDim"]
        self.body = ConvFeatures() if conv else DenseAct(c["pixels"], c["hiddenDim"], c["activation"])
        self.mu = nn.Linear(width, c["latentDim"])
        self.log_var = nn.Linear(width, c["latentDim"])
        if conv:
            self.decoder = ConvImageDecoder(c["latentDim"])
        else:
            self.decoder = Mlp(c["latentDim"], c["hiddenDim"], c["pixels"], c["activation"])

    def encode(self, x):
        h = self.body(x)
        return self.mu(h), self.log_var(h)

    def _forward(self, x, deterministic, generator):
        mu, log_var = self.encode(x)
        if deterministic:
            z = mu  # eps = 0
        else:
            eps = torch.randn(mu.shape, generator=generator, device=mu.device)
            z = mu + torch.exp(0.5 * log_var) * eps
        kl_per_dim = 0.5 * (mu.pow(2) + log_var.exp() - 1 - log_var)  # [B,D]
        return reconstruction_nll(self.decoder(z), x), kl_per_dim

    def terms(self, x, step=0, deterministic=True, generator=None, labels=None):
        recon, kl_per_dim = self._forward(x, deterministic, generator)
        kl = kl_per_dim.sum(1)
        return {"negElbo": recon + kl, "recon": recon, "kl": kl}

    def loss(self, x, step, generator, labels=None):
        recon, kl_per_dim = self._forward(x, False, generator)
        kl_dims = kl_per_dim.mean(0)
        free_bits = CONFIG["freeBits"]
        kl_objective = kl_dims.clamp(min=free_bits).sum() if free_bits > 0 else kl_dims.sum()
        terms = {"negElbo": recon.mean() + kl_dims.sum(), "recon": recon.mean(), "kl": kl_dims.sum()}
        return terms, recon.mean() + kl_weight(step) * kl_objective
