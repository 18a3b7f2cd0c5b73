/**
 * Datasets the lab downloads when the user picks them (never on its own), with where they come
 * from and how to check them. Every set is four gzip IDX files in MNIST's layout, so one loader
 * fits all. Pure: no imports.
 *
 * Hosts. A page can read a file from another site only when that site allows it (CORS) and, on
 * an https page, only over https:
 * - Fashion-MNIST: the dataset's own GitHub repository, served by raw.githubusercontent.com
 *   (https, "Access-Control-Allow-Origin: *"). The S3 website listed in its README,
 *   http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/, holds the same files but is
 *   plain http, which an https page may not fetch; use it with ?datasetBase= on an http page.
 * - KMNIST: CODH's own server, at the http address the dataset's download script
 *   (https://github.com/rois-codh/kmnist, download_data.py) and torchvision use; it publishes
 *   the MNIST-format (IDX) files next to the .npz ones. An https page may not fetch it (mixed
 *   content), and if the server does not allow cross-site reads (CORS) the browser refuses too;
 *   the page then says so, and the four files can be downloaded by hand and uploaded.
 *
 * `?datasetBase=URL` or `#datasetBase=URL` (read once when the page opens) replaces every
 * host: the files are then fetched from URL + folder + "/" + file, i.e. the layout of Debian's
 * dataset-* packages under /usr/share/datasets/ (dataset-fashion-mnist installs
 * /usr/share/datasets/fashion-mnist/). The page's Content-Security-Policy allows such a mirror
 * only on this computer (127.0.0.1 or localhost, any port): see DOWNLOAD_CONNECT_SOURCES.
 */

export type DownloadId = 'fashion-mnist' | 'kmnist';

export interface DownloadFile {
  file: string;
  /** Size of the .gz as published, bytes (for the progress bar when a server sends no length). */
  approxBytes: number;
  /**
   * sha256 of the decompressed IDX bytes, checked after download. Of the content, not of the
   * .gz, so a recompressed mirror (Debian's files drop the gzip header's file name) still matches.
   */
  rawSha256?: string;
}

export interface DownloadSource {
  id: DownloadId;
  name: string;
  /** Folder under a ?datasetBase= mirror. */
  folder: string;
  /** Where the four files are by default (ends in "/"). */
  defaultBase: string;
  homepage: string;
  source: string;
  license: string;
  classes: number;
  /** What the labels 0..classes−1 mean. */
  classNames: string[];
  files: {
    train: { images: DownloadFile; labels: DownloadFile };
    test: { images: DownloadFile; labels: DownloadFile };
  };
}

export const DOWNLOAD_SOURCES: Record<DownloadId, DownloadSource> = {
  'fashion-mnist': {
    id: 'fashion-mnist',
    name: 'Fashion-MNIST',
    folder: 'fashion-mnist',
    defaultBase:
      'https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/',
    homepage: 'https://github.com/zalandoresearch/fashion-mnist',
    source:
      'H. Xiao, K. Rasul, R. Vollgraf, "Fashion-MNIST: a Novel Image Dataset for Benchmarking Machine Learning Algorithms", arXiv:1708.07747 (2017), Zalando Research',
    license: 'MIT',
    classes: 10,
    classNames: [
      'T-shirt/top',
      'Trouser',
      'Pullover',
      'Dress',
      'Coat',
      'Sandal',
      'Shirt',
      'Sneaker',
      'Bag',
      'Ankle boot',
    ],
    files: {
      train: {
        images: {
          file: 'train-images-idx3-ubyte.gz',
          approxBytes: 26_421_880,
          rawSha256: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
        },
        labels: {
          file: 'train-labels-idx1-ubyte.gz',
          approxBytes: 29_515,
          rawSha256: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
        },
      },
      test: {
        images: {
          file: 't10k-images-idx3-ubyte.gz',
          approxBytes: 4_422_102,
          rawSha256: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
        },
        labels: {
          file: 't10k-labels-idx1-ubyte.gz',
          approxBytes: 5_148,
          rawSha256: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
        },
      },
    },
  },
  kmnist: {
    id: 'kmnist',
    name: 'Kuzushiji-MNIST',
    folder: 'kmnist',
    defaultBase: 'http://codh.rois.ac.jp/kmnist/dataset/kmnist/',
    homepage: 'https://github.com/rois-codh/kmnist',
    source:
      'T. Clanuwat et al., "Deep Learning for Classical Japanese Literature", arXiv:1812.01718 (2018); "KMNIST Dataset" (created by CODH), adapted from "Kuzushiji Dataset" (created by NIJL and others), doi:10.20676/00000341',
    license: 'CC BY-SA 4.0',
    classes: 10,
    classNames: ['o', 'ki', 'su', 'tsu', 'na', 'ha', 'ma', 'ya', 're', 'wo'],
    // No checksums pinned: the files could not be fetched where this table was written. The
    // shape and count checks still apply (60,000 + 10,000 images of 28×28, labels below 10).
    files: {
      train: {
        images: { file: 'train-images-idx3-ubyte.gz', approxBytes: 18_000_000 },
        labels: { file: 'train-labels-idx1-ubyte.gz', approxBytes: 30_000 },
      },
      test: {
        images: { file: 't10k-images-idx3-ubyte.gz', approxBytes: 3_000_000 },
        labels: { file: 't10k-labels-idx1-ubyte.gz', approxBytes: 5_000 },
      },
    },
  },
};

/** Mirrors on this computer (Debian's files served locally, a test server): any loopback port. */
export const LOCAL_MIRRORS = ['http://127.0.0.1:*', 'http://localhost:*'] as const;

/**
 * Where the page may fetch from besides its own origin: the sources' hosts and local mirrors.
 * The build's Content-Security-Policy (connect-src, vite.config.ts) is made from this list, so a
 * ?datasetBase= elsewhere is refused by the browser.
 */
export const DOWNLOAD_CONNECT_SOURCES: readonly string[] = [
  ...new Set(Object.values(DOWNLOAD_SOURCES).map((s) => new URL(s.defaultBase).origin)),
  ...LOCAL_MIRRORS,
];

/**
 * The datasetBase setting (query or hash; the hash wins): an http(s) URL, made to end in "/"; null when absent. Throws a
 * message for a value that is not such a URL.
 */
export function parseDatasetBase(search: string, hash = ''): string | null {
  const raw =
    new URLSearchParams(hash.replace(/^#/, '')).get('datasetBase') ??
    new URLSearchParams(search).get('datasetBase');
  if (raw === null || raw === '') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`Ignored datasetBase=${raw} in the URL: not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`Ignored datasetBase=${raw} in the URL: only http and https are supported`);
  }
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

/** Where one file of `source` is fetched from. */
export function downloadUrl(source: DownloadSource, file: string, base: string | null): string {
  return base ? `${base}${source.folder}/${file}` : `${source.defaultBase}${file}`;
}
