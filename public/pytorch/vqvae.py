# ---------------------------------------------------------------------------------------------
# VQ-VAE (the lab's src/models/vq-vae.ts):
#   z_e = encoder(x) [B,49,D];  k* = argmin_k ||z_e - e_k||^2;  z_q = e_{k*}
#   decoder(z_e + sg[z_q - z_e]) -> logits (forward: z_q exactly)
#   recon = -log p(x | z_q); codebook = ||sg[z_e] - z_q||^2; commitment = ||z_e - sg[z_q]||^2
#   (sums over positions and D, per image); objective recon + codebook + beta commitment, or
#   with EMA codebook updates (decay gamma, Laplace smoothing 1e-5) recon + beta commitment.
# ---------------------------------------------------------------------------------------------
class Model(LabModel):
    TERMS = ["recon", "codebook", "commitment"]

    def __init__(self, c):
        super().__init__()
        k, d = c["codebookSize"], c["codeDim"]
        self.encoder = ConvEncoder(c["channels"], d)
        self.decoder = ConvDecoder(d, c["channels"])
        self.codebook = nn.Parameter(torch.zeros(k, d), requires_grad=not c["ema"])
        if c["ema"]:
            self.register_buffer("ema_cluster_size", torch.ones(k))
            self.register_buffer("ema_embed_sum", torch.zeros(k, d))
        self.usage = torch.zeros(k)
        self.last = None

    def quantise(self, ze):
        """ze [M,D] -> indices [M], z_q [M,D]"""
        e = self.codebook.detach()
        zs = ze.detach()
        dist = zs.pow(2).sum(1, keepdim=True) - 2 * zs @ e.t() + e.pow(2).sum(1)[None, :]
        idx = dist.argmin(1)
        return idx, self.codebook[idx]

    def _forward(self, x):
        b, d = x.shape[0], CONFIG["codeDim"]
        ze = grid_positions(self.encoder(x)).reshape(-1, d)  # [B*49, D]
        idx, zq = self.quantise(ze)
        z_in = grid_image(straight_through(ze, zq).reshape(b, 49, d))
        recon = reconstruction_nll(self.decoder(z_in), x)
        return ze, idx, zq, recon

    def terms(self, x, step=0, deterministic=True, generator=None, labels=None):
        ze, _, zq, recon = self._forward(x)
        per_image = (ze - zq).pow(2).sum(1).reshape(x.shape[0], 49).sum(1)
        return {"recon": recon, "codebook": per_image, "commitment": per_image.clone()}

    def loss(self, x, step, generator, labels=None):
        b = x.shape[0]
        ze, idx, zq, recon = self._forward(x)
        codebook = (ze.detach() - zq).pow(2).sum() / b
        commitment = (ze - zq.detach()).pow(2).sum() / b
        self.last = (ze.detach(), idx)
        total = recon.mean() + CONFIG["commitment"] * commitment
        if not CONFIG["ema"]:
            total = total + codebook
        return {"recon": recon.mean(), "codebook": codebook, "commitment": commitment}, total

    @torch.no_grad()
    def after_step(self):
        if self.last is None:
            return
        ze, idx = self.last
        self.last = None
        k = self.codebook.shape[0]
        one_hot = F.one_hot(idx, k).to(ze.dtype)
        self.usage = self.usage.to(ze.device) + one_hot.sum(0)
        if not CONFIG["ema"]:
            return
        g, eps = CONFIG["emaDecay"], 1e-5
        self.ema_cluster_size.mul_(g).add_((1 - g) * one_hot.sum(0))
        self.ema_embed_sum.mul_(g).add_((1 - g) * one_hot.t() @ ze)
        n = self.ema_cluster_size.sum()
        smoothed = (self.ema_cluster_size + eps) / (n + k * eps) * n
        self.codebook.copy_(self.ema_embed_sum / smoothed[:, None])

    @torch.no_grad()
    def maintain(self, x, step, generator):
        """Every 200 steps: codes used fewer than deadCodeThreshold times restart from random
        current encoder outputs (the lab draws them with its own RNG)."""
        threshold = CONFIG["deadCodeThreshold"]
        usage, self.usage = self.usage, torch.zeros_like(self.usage)
        if threshold <= 0:
            return []
        dead = (usage < threshold).nonzero().flatten()
        if len(dead) == 0:
            return []
        ze = grid_positions(self.encoder(x)).reshape(-1, CONFIG["codeDim"])
        rows = torch.randperm(ze.shape[0], generator=generator, device=generator.device)
        rows = rows.to(ze.device)[torch.arange(len(dead), device=ze.device) % ze.shape[0]]
        self.codebook[dead] = ze[rows]
        if CONFIG["ema"]:
            self.ema_cluster_size[dead] = 1.0
            self.ema_embed_sum[dead] = ze[rows]
        return ["step %d: restarted %d dead codes" % (step, len(dead))]
