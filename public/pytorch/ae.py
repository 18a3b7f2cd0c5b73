# ---------------------------------------------------------------------------------------------
# Autoencoder (the lab's src/models/autoencoder.ts): z = head(body(x)), recon = -log p(x | z).
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

    def encode(self, x):
        return self.head(self.body(x))

    def terms(self, x, step=0, deterministic=True, generator=None, labels=None):
        return {"recon": reconstruction_nll(self.decoder(self.encode(x)), x)}

    def loss(self, x, step, generator, labels=None):
        recon = self.terms(x)["recon"].mean()
        return {"recon": recon}, recon
