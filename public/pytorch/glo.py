# ---------------------------------------------------------------------------------------------
# GLO, generative latent optimisation (the lab's src/models/glo.ts): no encoder. Training image
# i owns a code z_i (row i of the table `codes` [N,d], in the unit ball ||z_i|| <= 1); the
# decoder (the autoencoder's) maps it to logits.
#   recon = -log p(x | decoder(z)) per image (Bernoulli, or Gaussian: squared error / 2 sigma^2
#   + const); squaredError = sum_p (x_p - sigmoid(l)_p)^2; objective: the batch mean of recon
#   a step: the decoder by the optimiser; the batch's codes only (rows, the training images'
#   indices) by their own per-row Adam ("lazy": each row counts its own steps) or SGD at
#   codeLearningRate, each code then projected back into the ball
#   a new image (no row): `inferSteps` Adam steps on z from 0 (step 0.1), decoder frozen.
# The probe digits' codes are the ones the lab inferred (probes.safetensors "codes"), so that
# `python3 model.py` checks the decoder, not two frameworks' runs of an optimiser.
# ---------------------------------------------------------------------------------------------
class Model(LabModel):
    TERMS = ["recon", "squaredError"]
    # loss() takes the batch's rows of the training set; train.py trains on the first N images.
    PER_IMAGE_CODES = True
    INFER_LEARNING_RATE = 0.1
    ROW_ADAM = (0.9, 0.999, 1e-8)  # beta1, beta2, eps of the codes' (and inference's) Adam

    def __init__(self, c):
        super().__init__()
        n, d = c["trainCount"], c["latentDim"]
        if c["arch"] == "conv":
            self.decoder = ConvImageDecoder(d)
        else:
            self.decoder = Mlp(d, c["hiddenDim"], c["pixels"], c["activation"])
        self.register_buffer("codes", torch.zeros(n, d))
        # The codes' per-row Adam state (not exported: it starts afresh, as the decoder's does).
        self.register_buffer("code_m", torch.zeros(n, d), persistent=False)
        self.register_buffer("code_v", torch.zeros(n, d), persistent=False)
        self.register_buffer("code_t", torch.zeros(n), persistent=False)
        self.last = None

    @staticmethod
    def project(z):
        """Each row back into the unit ball: z / max(1, ||z||)."""
        return z / z.norm(dim=1, keepdim=True).clamp(min=1)

    def _terms(self, z, x):
        logits = self.decoder(z)
        return {
            "recon": reconstruction_nll(logits, x),
            "squaredError": (x - torch.sigmoid(logits)).pow(2).sum(1),
        }

    def infer(self, x):
        """Codes for images without a row, the lab's way: Adam on z from 0 with the decoder
        frozen, each step followed by the ball projection (rows are independent)."""
        b1, b2, eps = self.ROW_ADAM
        z = torch.zeros(x.shape[0], self.codes.shape[1], device=x.device)
        m, v = torch.zeros_like(z), torch.zeros_like(z)
        with torch.enable_grad():
            for t in range(1, CONFIG["inferSteps"] + 1):
                zz = z.detach().requires_grad_(True)
                (g,) = torch.autograd.grad(reconstruction_nll(self.decoder(zz), x).sum(), zz)
                m = b1 * m + (1 - b1) * g
                v = b2 * v + (1 - b2) * g * g
                step = (m / (1 - b1**t)) / ((v / (1 - b2**t)).sqrt() + eps)
                z = self.project(z - self.INFER_LEARNING_RATE * step)
        return z.detach()

    def terms(self, x, step=0, deterministic=True, generator=None, labels=None, codes=None):
        """Per-image terms at the given codes [B,d] (the probe digits': the lab's), else at
        codes inferred here (another framework's optimiser: close to the lab's, not equal)."""
        return self._terms(self.infer(x) if codes is None else codes, x)

    def loss(self, x, step, generator, labels=None, rows=None):
        """rows: int64 [B], the batch's indices into the training set (rows of `codes`)."""
        z = self.codes[rows].clone().requires_grad_(True)
        self.last = (rows, z)
        per = self._terms(z, x)
        recon = per["recon"].mean()
        return {"recon": recon, "squaredError": per["squaredError"].mean()}, recon

    @torch.no_grad()
    def after_step(self):
        """The batch's codes: one step each on their gradient per image (the objective is the
        batch mean, hence x B), then the ball projection. Other rows do not move."""
        if self.last is None or self.last[1].grad is None:
            return
        rows, z = self.last
        self.last = None
        g = z.grad * z.shape[0]
        lr = CONFIG["codeLearningRate"]
        if CONFIG["codeOptimizer"] == "adam":
            b1, b2, eps = self.ROW_ADAM
            t = self.code_t[rows] + 1
            m = b1 * self.code_m[rows] + (1 - b1) * g
            v = b2 * self.code_v[rows] + (1 - b2) * g * g
            step = (m / (1 - b1 ** t[:, None])) / ((v / (1 - b2 ** t[:, None])).sqrt() + eps)
            self.code_m[rows], self.code_v[rows], self.code_t[rows] = m, v, t
        else:
            step = g
        self.codes[rows] = self.project(z.detach() - lr * step)
