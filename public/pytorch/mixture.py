# ---------------------------------------------------------------------------------------------
# Mixture of K Bernoullis (the lab's src/models/mixture.ts), on pixels binarised at 0.5:
#   l_k(x) = log pi_k + x . log mu_k + (1 - x) . log(1 - mu_k);  log p(x) = logsumexp_k l_k(x)
#   nll = -log p(x); elbo = ELBO(q_prev, theta) with q_prev = p(k | x; theta_prev); elboE = log p(x)
# (the lab reports elbo and elboE as bounds on log p(x)). Fitted by EM: each fit() is one iteration.
# ---------------------------------------------------------------------------------------------
class Model(LabModel):
    TERMS = ["nll", "elbo", "elboE"]
    FITTED = True

    def __init__(self, c):
        super().__init__()
        k, p = c["clusters"], c["pixels"]
        self.register_buffer("means", torch.full((k, p), 0.5))
        self.register_buffer("log_weights", torch.zeros(k))
        self.register_buffer("prev_means", torch.full((k, p), 0.5))
        self.register_buffer("prev_log_weights", torch.zeros(k))

    @staticmethod
    def joint(x, mu, log_pi):
        log1m = torch.log1p(-mu)
        return x @ (torch.log(mu) - log1m).t() + (log1m.sum(1) + log_pi)[None, :]

    def terms(self, x, step=0, deterministic=True, generator=None, labels=None):
        xb = (x >= 0.5).to(x.dtype)
        joint = self.joint(xb, self.means, self.log_weights)
        log_p = torch.logsumexp(joint, 1, keepdim=True)
        old = self.joint(xb, self.prev_means, self.prev_log_weights)
        log_q = old - torch.logsumexp(old, 1, keepdim=True)
        bound = lambda lq: (lq.exp() * (joint - lq)).sum(1)
        return {"nll": -log_p.flatten(), "elbo": bound(log_q), "elboE": bound(joint - log_p)}

    @torch.no_grad()
    def fit(self, x, labels=None, alpha=1.0, eps=1e-4):
        """One EM iteration (responsibilities, then MAP means under Beta(alpha+1, alpha+1))."""
        xb = (x >= 0.5).to(x.dtype)
        joint = self.joint(xb, self.means, self.log_weights)
        r = torch.softmax(joint, 1)
        n = r.sum(0)
        self.prev_means.copy_(self.means)
        self.prev_log_weights.copy_(self.log_weights)
        self.means.copy_(((r.t() @ xb + alpha) / (n + 2 * alpha)[:, None]).clamp(eps, 1 - eps))
        self.log_weights.copy_(torch.log(n / x.shape[0]))
        return {k: v.mean().item() for k, v in self.terms(x).items()}
