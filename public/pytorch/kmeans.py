# ---------------------------------------------------------------------------------------------
# K-means (the lab's src/models/kmeans.ts): centroids C [K,P]; the code of x is its nearest
# centroid, the reconstruction that centroid; squaredError = ||x - c_z(x)||^2 per image.
# Fitted without gradients: each fit() is one Lloyd iteration over the training set.
# ---------------------------------------------------------------------------------------------
class Model(LabModel):
    TERMS = ["squaredError"]
    FITTED = True

    def __init__(self, c):
        super().__init__()
        self.register_buffer("centroids", torch.zeros(c["clusters"], c["pixels"]))

    def assign(self, x):
        c = self.centroids
        d = x.pow(2).sum(1, keepdim=True) - 2 * x @ c.t() + c.pow(2).sum(1)[None, :]
        return d.argmin(1)

    def terms(self, x, step=0, deterministic=True, generator=None, labels=None):
        return {"squaredError": (x - self.centroids[self.assign(x)]).pow(2).sum(1)}

    @torch.no_grad()
    def fit(self, x, labels=None):
        """One Lloyd iteration: assign, then each centroid to the mean of its images (kept if none)."""
        a = torch.cat([self.assign(x[s : s + 4096]) for s in range(0, x.shape[0], 4096)])
        one_hot = F.one_hot(a, self.centroids.shape[0]).to(x.dtype)
        counts = one_hot.sum(0)
        means = one_hot.t() @ x / counts.clamp(min=1)[:, None]
        self.centroids.copy_(torch.where(counts[:, None] > 0, means, self.centroids))
        return {"squaredError": self.terms(x)["squaredError"].mean().item()}
