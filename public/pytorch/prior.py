# ---------------------------------------------------------------------------------------------
# A prior over a frozen tokenizer's codes (the lab's src/models/token-prior.ts): a small causal
# transformer (GPT-style, pre-LayerNorm) over the 7x7 code grid in raster order, after a class
# token. K codes; class tokens K + y (y = 0..9), or K + 10 ("any": no label, or unconditional).
#   c = tokenizer codes of x [B,49];  input [class token, c_0 .. c_47];  output t -> p(c_t | c_<t, y)
#   nll     = -log p(c | y) = -sum_t log softmax(logits_t)[c_t]      (the objective)
#   recon   = -log p(x | c)  (the frozen tokenizer's, noise-free)    bound = recon + nll
#   unigram = -sum_t log f(c_t),  f = (counts + 1) / (sum counts + K)  (training-code frequencies)
#   uniform = 49 ln K
# Transformer: h = E[tokens] + P[0..T-1]; per block h += drop(Attn(LN1 h)), h += drop(MLP(LN2 h))
# with MLP = out(GELU_tanh(fc(.))), causal multi-head attention softmax(q k^T / sqrt(d) + M) v
# (M = -1e9 above the diagonal), LayerNorm eps 1e-5; logits = head(LN_f h). Dropout (priorDropout)
# and label dropout (a share LABEL_DROPOUT of the labels becomes "any") only in loss().
# The tokenizer (VQ-VAE or dVAE, CONFIG["tokenizerKind"]) is frozen: its weights are not trained.
# ---------------------------------------------------------------------------------------------
LABEL_DROPOUT = 0.1  # the lab's TOKEN_PRIOR_DEFAULTS.labelDropout
CLASS_TOKENS = 11  # one per class (10), then "any"


class VqTokenizer(nn.Module):
    """The VQ-VAE's encoder, decoder and codebook (vqvae.py's names): nearest-code indices."""

    def __init__(self, c):
        super().__init__()
        self.encoder = ConvEncoder(c["channels"], c["codeDim"])
        self.decoder = ConvDecoder(c["codeDim"], c["channels"])
        self.codebook = nn.Parameter(torch.zeros(c["codebookSize"], c["codeDim"]))

    def codes(self, x):
        """k* = argmin_k ||z_e - e_k||^2 at each position: x [B,P] -> int64 [B,49]"""
        ze = grid_positions(self.encoder(x)).reshape(-1, self.codebook.shape[1])  # [B*49,D]
        e = self.codebook
        dist = ze.pow(2).sum(1, keepdim=True) - 2 * ze @ e.t() + e.pow(2).sum(1)[None, :]
        return dist.argmin(1).reshape(x.shape[0], 49)

    def recon(self, x, codes):
        """-log p(x | z_q = e_codes): codes [B,49] -> [B]"""
        return reconstruction_nll(self.decoder(grid_image(self.codebook[codes])), x)


class DvaeTokenizer(nn.Module):
    """The dVAE's encoder, decoder and embedding (dvae.py's names): the most likely codes."""

    def __init__(self, c):
        super().__init__()
        self.encoder = ConvEncoder(c["channels"], c["codebookSize"])
        self.decoder = ConvDecoder(c["codeDim"], c["channels"])
        self.embedding = nn.Parameter(torch.zeros(c["codebookSize"], c["codeDim"]))

    def codes(self, x):
        """argmax_k of the encoder's logits at each position: x [B,P] -> int64 [B,49]"""
        return grid_positions(self.encoder(x)).argmax(-1)

    def recon(self, x, codes):
        """-log p(x | z = one_hot(codes) E) (Bernoulli): codes [B,49] -> [B]"""
        return bernoulli_nll(self.decoder(grid_image(self.embedding[codes])), x)


def gelu_tanh(x):
    """GPT-2's GELU: x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))"""
    return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x * x * x)))


def dropout(h, rate, generator):
    """Inverted dropout with masks from `generator` (rate 0 or no generator: h as it is)."""
    if rate <= 0 or generator is None:
        return h
    keep = torch.rand(h.shape, generator=generator, device=h.device) >= rate
    return h * keep.to(h.dtype) / (1 - rate)


class Block(nn.Module):
    """h + drop(Attn(LN1 h)), then + drop(out(GELU(fc(LN2 h))))   [B,T,W] -> [B,T,W]"""

    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(width, eps=1e-5)
        self.qkv = nn.Linear(width, 3 * width)  # columns: q (W), k (W), v (W); head n = n*d..
        self.proj = nn.Linear(width, width)
        self.ln2 = nn.LayerNorm(width, eps=1e-5)
        self.fc = nn.Linear(width, 4 * width)
        self.out = nn.Linear(4 * width, width)

    def attention(self, x):
        """Causal multi-head self-attention: x [B,T,W] -> output [B,T,W], weights [B,h,T,T]"""
        b, t, w = x.shape
        h = self.heads
        d = w // h
        qkv = self.qkv(x).reshape(b, t, 3, h, d).permute(2, 0, 3, 1, 4)  # [3,B,h,T,d]
        q, k, v = qkv[0] * (1 / math.sqrt(d)), qkv[1], qkv[2]
        mask = torch.triu(torch.full((t, t), -1e9, device=x.device, dtype=x.dtype), 1)
        a = torch.softmax(q @ k.transpose(-1, -2) + mask, -1)  # [B,h,T,T]
        o = (a @ v).permute(0, 2, 1, 3).reshape(b, t, w)
        return self.proj(o), a

    def forward(self, h, rate=0.0, generator=None):
        h = h + dropout(self.attention(self.ln1(h))[0], rate, generator)
        return h + dropout(self.out(gelu_tanh(self.fc(self.ln2(h)))), rate, generator)


class CausalTransformer(nn.Module):
    """tokens int64 [B,T] -> logits [B,T,outputs]; position t sees tokens 0..t only."""

    def __init__(self, vocab, outputs, length, width, layers, heads):
        super().__init__()
        self.tokens = nn.Embedding(vocab, width)  # E [V,W]: the lab's one-hot . E
        self.positions = nn.Embedding(length, width)  # P [length,W]
        self.blocks = nn.ModuleList([Block(width, heads) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(width, eps=1e-5)
        self.head = nn.Linear(width, outputs)

    def forward(self, tokens, rate=0.0, generator=None):
        h = self.tokens(tokens) + self.positions.weight[: tokens.shape[1]]
        for block in self.blocks:
            h = block(h, rate, generator)
        return self.head(self.ln_f(h))


class Model(LabModel):
    TERMS = ["nll", "bound", "recon", "unigram", "uniform"]

    def __init__(self, c):
        super().__init__()
        self.tokenizer = VqTokenizer(c) if c["tokenizerKind"] == "vqvae" else DvaeTokenizer(c)
        self.tokenizer.requires_grad_(False)  # frozen: train.py trains the transformer only
        self.k = c["codebookSize"]
        self.conditional = bool(c.get("conditional")) and bool(c.get("labelClasses"))
        self.NEEDS_LABELS = self.conditional  # train.py trains on the images' labels
        self.transformer = CausalTransformer(
            self.k + CLASS_TOKENS, self.k, 50, c["priorWidth"], c["priorLayers"], c["priorHeads"]
        )
        self.register_buffer("counts", torch.zeros(self.k))

    def class_tokens(self, labels, b, device):
        """K + y, or K + 10 ("any") where y < 0, no labels, or unconditional: -> int64 [B,1]"""
        any_token = torch.full((b, 1), self.k + CLASS_TOKENS - 1, dtype=torch.long, device=device)
        if labels is None or not self.conditional:
            return any_token
        if labels.shape[0] != b:
            raise ValueError("%d labels for %d sequences" % (labels.shape[0], b))
        y = labels.long().reshape(b, 1).to(device)
        return torch.where(y < 0, any_token, self.k + y)

    def logits(self, codes, labels=None, rate=0.0, generator=None):
        """Logits of p(c_t | c_<t, y) at every position: codes [B,49] -> [B,49,K]"""
        b = codes.shape[0]
        tokens = torch.cat([self.class_tokens(labels, b, codes.device), codes[:, :48]], 1)
        return self.transformer(tokens, rate, generator)

    def nll(self, codes, labels=None, rate=0.0, generator=None):
        """-log p(c | y) per image: codes [B,49] -> [B]"""
        logp = torch.log_softmax(self.logits(codes, labels, rate, generator), -1)
        return -logp.gather(2, codes[:, :, None]).squeeze(2).sum(1)

    def unigram(self, codes):
        """-sum_t log f(c_t) with the training counts (before any were counted, the batch's)."""
        n = self.counts
        if n.sum() == 0:
            n = F.one_hot(codes, self.k).to(n.dtype).sum((0, 1))
        log_f = torch.log((n + 1) / (n.sum() + self.k))
        return -log_f[codes].sum(1)

    @torch.no_grad()
    def encode(self, x):
        """The frozen tokenizer's codes and recon: x [B,P] -> int64 [B,49], [B]"""
        codes = self.tokenizer.codes(x)
        return codes, self.tokenizer.recon(x, codes)

    def _terms(self, x, labels, rate, generator):
        codes, recon = self.encode(x)
        nll = self.nll(codes, labels, rate, generator)
        uniform = torch.full_like(recon, 49 * math.log(self.k))
        return {"nll": nll, "bound": recon + nll, "recon": recon, "unigram": self.unigram(codes), "uniform": uniform}

    def terms(self, x, step=0, deterministic=True, generator=None, labels=None):
        return self._terms(x, labels, 0.0, None)

    def loss(self, x, step, generator, labels=None):
        if labels is not None and self.conditional and LABEL_DROPOUT > 0:
            u = torch.rand(labels.shape, generator=generator, device=labels.device)
            labels = torch.where(u < LABEL_DROPOUT, torch.full_like(labels, -1), labels)
        terms = {k: v.mean() for k, v in self._terms(x, labels, CONFIG["priorDropout"], generator).items()}
        return terms, terms["nll"]

    @torch.no_grad()
    def sample(self, labels, generator=None, temperature=1.0):
        """Code grids drawn one position at a time, decoded: labels [B] (-1 = any) -> pixels [B,P]"""
        b = labels.shape[0]
        seq = self.class_tokens(labels, b, labels.device)
        for t in range(49):
            last = self.transformer(seq)[:, t] / temperature  # [B,K]
            drawn = torch.multinomial(torch.softmax(last, -1), 1, generator=generator)
            seq = torch.cat([seq, drawn], 1)
        codes = seq[:, 1:]
        tok = self.tokenizer
        table = tok.codebook if isinstance(tok, VqTokenizer) else tok.embedding
        return torch.sigmoid(tok.decoder(grid_image(table[codes])))
