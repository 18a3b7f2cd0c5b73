# ---------------------------------------------------------------------------------------------
# Autoencoder (the lab's src/models/autoencoder.ts): z = head(body(x)), recon = -log p(x | z).
# With linear activations and the Gaussian likelihood it is the linear autoencoder: the mean is
# the decoder's output itself (no sigmoid), recon = ||x - l||^2 / (2 sigma^2) + const.
# ---------------------------------------------------------------------------------------------
class Model(LabModel):
    TERMS = ["recon"]

    def __init__(self, c):
        super().__init__()
        conv = c["arch"] == "conv"
        width = 7 * 7 * 64 if conv else c["hiddenDim"]
        self.body = ConvFeatures() if conv else DenseAct(c["pixels"], c["hiddenDim"], c["activation"])
        self.head = nn.Linear(width, c["latentDim"])
        if conv:
            self.decoder = ConvImageDecoder(c["latentDim"])
        else:
            self.decoder = Mlp(c["latentDim"], c["hiddenDim"], c["pixels"], c["activation"])
        self.linear = c["activation"] == "linear" and c["likelihood"] == "gaussian"

    def encode(self, x):
        return self.head(self.body(x))

    def terms(self, x, step=0, deterministic=True, generator=None, labels=None):
        logits = self.decoder(self.encode(x))
        if self.linear:
            return {"recon": gaussian_nll_of_mean(logits, x, CONFIG["sigma"])}
        return {"recon": reconstruction_nll(logits, x)}

    def loss(self, x, step, generator, labels=None):
        recon = self.terms(x)["recon"].mean()
        return {"recon": recon}, recon
