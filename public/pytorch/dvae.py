# ---------------------------------------------------------------------------------------------
# dVAE with the Gumbel-softmax (the lab's src/models/dvae.ts):
#   logits l = encoder(x) [B,49,K];  y = softmax((l + g)/tau) (one-hot forward when hard)
#   z = y E [B,49,D] -> decoder -> logits;  recon = -log p(x|z) (Bernoulli)
#   kl = sum_positions KL(softmax(l) || Uniform(K));  objective recon + w(t) kl
# With the noise fixed, y = one_hot(argmax l).
# ---------------------------------------------------------------------------------------------
class Model(LabModel):
    TERMS = ["negElbo", "recon", "kl"]

    def __init__(self, c):
        super().__init__()
        self.encoder = ConvEncoder(c["channels"], c["codebookSize"])
        self.decoder = ConvDecoder(c["codeDim"], c["channels"])
        self.embedding = nn.Parameter(torch.zeros(c["codebookSize"], c["codeDim"]))

    def _forward(self, x, step, deterministic, generator):
        logits = grid_positions(self.encoder(x))  # [B,49,K]
        y = most_likely_codes(logits) if deterministic else gumbel_codes(logits, step, generator)
        recon = bernoulli_nll(self.decoder(grid_image(y @ self.embedding)), x)
        return recon, categorical_kl_to_uniform(logits)

    def terms(self, x, step=0, deterministic=True, generator=None, labels=None):
        recon, kl = self._forward(x, step, deterministic, generator)
        return {"negElbo": recon + kl, "recon": recon, "kl": kl}

    def loss(self, x, step, generator, labels=None):
        recon, kl = self._forward(x, step, False, generator)
        terms = {"negElbo": (recon + kl).mean(), "recon": recon.mean(), "kl": kl.mean()}
        return terms, recon.mean() + kl_weight(step) * kl.mean()
