# ---------------------------------------------------------------------------------------------
# Conditional VAE (the lab's src/models/cvae.ts; Sohn, Lee & Yan 2015): the VAE with the label
# y in {0 .. K-1}, as a one-hot e_y [B,K] (K = CONFIG["labelClasses"]), given to both nets:
#   MLP  encoder [x, e_y] -> body -> (mu, log sigma^2)
#   conv encoder x -> conv features [B,3136], then [features, e_y] -> (mu, log sigma^2)
#   decoder [z, e_y] -> logits                       z = mu + exp(log sigma^2 / 2) eps
#   recon = -log p(x|z,y), kl = sum_d KL(q(z_d|x,y) || N(0,1)), -ELBO = recon + kl >= -log p(x|y)
#   objective: recon + w(t) sum_d max(lambda, batch-mean KL_d)        (lambda = free bits)
# Every method needs the images' labels (int64 [B]).
# ---------------------------------------------------------------------------------------------
class Model(LabModel):
    TERMS = ["negElbo", "recon", "kl"]
    NEEDS_LABELS = True  # train.py trains on the images' labels (train-labels-idx1-ubyte)

    def __init__(self, c):
        super().__init__()
        self.conv = c["arch"] == "conv"
        self.classes = c["labelClasses"]
        k = self.classes
        if self.conv:
            self.body = ConvFeatures()
            width = 7 * 7 * 64 + k  # [features, e_y]
        else:
            self.body = DenseAct(c["pixels"] + k, c["hiddenDim"], c["activation"])  # [x, e_y]
            width = c["hiddenDim"]
        self.mu = nn.Linear(width, c["latentDim"])
        self.log_var = nn.Linear(width, c["latentDim"])
        if self.conv:
            self.decoder = ConvImageDecoder(c["latentDim"] + k)
        else:
            self.decoder = Mlp(c["latentDim"] + k, c["hiddenDim"], c["pixels"], c["activation"])

    def one_hot(self, labels, x):
        """e_y: labels [B] -> float one-hot [B,K], checked against the batch."""
        if labels is None:
            raise ValueError("the conditional VAE needs the label of every image")
        if labels.shape[0] != x.shape[0]:
            raise ValueError("%d labels for %d images" % (labels.shape[0], x.shape[0]))
        return F.one_hot(labels.long(), self.classes).to(x.dtype)

    def encode(self, x, labels):
        """q(z|x,y): x [B,P], labels [B] -> mu, log sigma^2 [B,D]"""
        y = self.one_hot(labels, x)
        h = torch.cat([self.body(x), y], 1) if self.conv else self.body(torch.cat([x, y], 1))
        return self.mu(h), self.log_var(h)

    def decode(self, z, labels):
        """p(x|z,y): z [B,D], labels [B] -> logits [B,P]"""
        return self.decoder(torch.cat([z, self.one_hot(labels, z)], 1))

    def sample(self, labels, generator=None):
        """Images of the given labels from the prior: labels [B] -> pixels [B,P] in [0,1]"""
        z = torch.randn((labels.shape[0], CONFIG["latentDim"]), generator=generator, device=labels.device)
        return torch.sigmoid(self.decode(z, labels))

    def _forward(self, x, labels, deterministic, generator):
        mu, log_var = self.encode(x, labels)
        if deterministic:
            z = mu  # eps = 0
        else:
            eps = torch.randn(mu.shape, generator=generator, device=mu.device)
            z = mu + torch.exp(0.5 * log_var) * eps
        kl_per_dim = 0.5 * (mu.pow(2) + log_var.exp() - 1 - log_var)  # [B,D]
        return reconstruction_nll(self.decode(z, labels), x), kl_per_dim

    def terms(self, x, step=0, deterministic=True, generator=None, labels=None):
        recon, kl_per_dim = self._forward(x, labels, deterministic, generator)
        kl = kl_per_dim.sum(1)
        return {"negElbo": recon + kl, "recon": recon, "kl": kl}

    def loss(self, x, step, generator, labels=None):
        recon, kl_per_dim = self._forward(x, labels, False, generator)
        kl_dims = kl_per_dim.mean(0)
        free_bits = CONFIG["freeBits"]
        kl_objective = kl_dims.clamp(min=free_bits).sum() if free_bits > 0 else kl_dims.sum()
        terms = {"negElbo": recon.mean() + kl_dims.sum(), "recon": recon.mean(), "kl": kl_dims.sum()}
        return terms, recon.mean() + kl_weight(step) * kl_objective
