# ---------------------------------------------------------------------------------------------
# PCA (the lab's src/models/pca.ts): mean mu [1,P], orthonormal basis W [P,d] (top-d eigenvectors
# of the covariance), variances [d], total variance tr C [1].
#   encode z = (x - mu) W;  decode x^ = mu + z W^T;  squaredError = sum_p (x_p - x^_p)^2 per image
# Fitted in closed form (fit), not by gradient steps.
# ---------------------------------------------------------------------------------------------
class Model(LabModel):
    TERMS = ["squaredError"]
    FITTED = True

    def __init__(self, c):
        super().__init__()
        p, d = c["pixels"], c["latentDim"]
        self.register_buffer("mean", torch.zeros(1, p))
        self.register_buffer("basis", torch.zeros(p, d))
        self.register_buffer("variances", torch.zeros(d))
        self.register_buffer("total", torch.zeros(1))

    def encode(self, x):
        return (x - self.mean) @ self.basis

    def decode(self, z):
        return self.mean + z @ self.basis.t()

    def terms(self, x, step=0, deterministic=True, generator=None, labels=None):
        return {"squaredError": (x - self.decode(self.encode(x))).pow(2).sum(1)}

    @torch.no_grad()
    def fit(self, x, labels=None):
        """The exact principal subspace of x [N,P] (covariance in float64, eigh)."""
        xd = x.double()
        mean = xd.mean(0, keepdim=True)
        cov = (xd - mean).t() @ (xd - mean) / x.shape[0]
        values, vectors = torch.linalg.eigh(cov)
        d = self.basis.shape[1]
        top = vectors[:, -d:].flip(1)
        top = top * torch.sign(top.gather(0, top.abs().argmax(0, keepdim=True)))  # largest entry > 0
        self.mean.copy_(mean.float())
        self.basis.copy_(top.float())
        self.variances.copy_(values[-d:].flip(0).float())
        self.total.copy_(cov.trace().reshape(1).float())
        return {"squaredError": (cov.trace() - values[-d:].sum()).item()}
