package org.layerlens.engine.explain;

import org.layerlens.engine.api.LayerData;

/**
 * Where a module looks, from its activations alone (no gradients): the mean over channels at
 * each position, and Eigen-CAM (Muhammad and Yeasin, 2020): the activations projected on their
 * first principal component. Both are row-major {@code height x width} maps of the module's grid,
 * which spans the network input.
 */
public final class LayerMaps {
    private static final int MAX_ITERATIONS = 5000;
    private static final double TOLERANCE = 1e-10;

    private LayerMaps() {
    }

    /** The mean over channels at each position. */
    public static float[] meanActivation(LayerData d) {
        requireMap(d);
        float[] out = new float[d.plane()];
        for (int p = 0; p < out.length; p++) {
            double sum = 0;
            for (int c = 0; c < d.channels; c++) {
                sum += d.values[p * d.channels + c];
            }
            out[p] = (float) (sum / d.channels);
        }
        return out;
    }

    /**
     * Eigen-CAM: with the activations as a {@code positions x channels} matrix A, centred per
     * channel (as pytorch-grad-cam's {@code get_2d_projection} does), the projection {@code A v}
     * on the first right singular vector v. A singular vector's sign is arbitrary; it is chosen
     * here so that the map correlates positively with {@link #meanActivation} (where the layer
     * is active is "where it looks"), so the same activations always give the same picture.
     * Computed from the smaller of the two Gram matrices by power iteration, in double.
     */
    public static float[] eigenCam(LayerData d) {
        requireMap(d);
        int n = d.plane();
        int c = d.channels;
        double[] a = new double[n * c];
        for (int ch = 0; ch < c; ch++) {
            double mean = 0;
            for (int p = 0; p < n; p++) {
                mean += d.values[p * c + ch];
            }
            mean /= n;
            for (int p = 0; p < n; p++) {
                a[p * c + ch] = d.values[p * c + ch] - mean;
            }
        }
        double[] proj = new double[n];
        if (c <= n) {
            double[] v = topEigenvector(gramOfColumns(a, n, c), c);
            for (int p = 0; p < n; p++) {
                double s = 0;
                for (int ch = 0; ch < c; ch++) {
                    s += a[p * c + ch] * v[ch];
                }
                proj[p] = s;
            }
        } else {
            // A A^T u = lambda u gives A v = sqrt(lambda) u for the matching right singular vector v
            double[] g = gramOfRows(a, n, c);
            double[] u = topEigenvector(g, n);
            double lambda = rayleigh(g, u, n);
            double sigma = Math.sqrt(Math.max(0, lambda));
            for (int p = 0; p < n; p++) {
                proj[p] = sigma * u[p];
            }
        }
        float[] mean = meanActivation(d);
        double meanOfMean = 0;
        for (float m : mean) {
            meanOfMean += m;
        }
        meanOfMean /= n;
        double corr = 0;
        for (int p = 0; p < n; p++) {
            corr += proj[p] * (mean[p] - meanOfMean);
        }
        float[] out = new float[n];
        for (int p = 0; p < n; p++) {
            out[p] = (float) (corr < 0 ? -proj[p] : proj[p]);
        }
        return out;
    }

    private static void requireMap(LayerData d) {
        if (d.flat) {
            throw new IllegalArgumentException(d.path + " is a flattened output, not a feature map");
        }
    }

    /** {@code A^T A} ({@code c x c}) of a row-major {@code n x c} matrix. */
    private static double[] gramOfColumns(double[] a, int n, int c) {
        double[] g = new double[c * c];
        for (int p = 0; p < n; p++) {
            int row = p * c;
            for (int i = 0; i < c; i++) {
                double ai = a[row + i];
                if (ai == 0) {
                    continue;
                }
                for (int j = i; j < c; j++) {
                    g[i * c + j] += ai * a[row + j];
                }
            }
        }
        mirror(g, c);
        return g;
    }

    /** {@code A A^T} ({@code n x n}) of a row-major {@code n x c} matrix. */
    private static double[] gramOfRows(double[] a, int n, int c) {
        double[] g = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double s = 0;
                for (int k = 0; k < c; k++) {
                    s += a[i * c + k] * a[j * c + k];
                }
                g[i * n + j] = s;
            }
        }
        mirror(g, n);
        return g;
    }

    private static void mirror(double[] g, int m) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < i; j++) {
                g[i * m + j] = g[j * m + i];
            }
        }
    }

    /**
     * The unit eigenvector of the largest eigenvalue of a symmetric positive semi-definite
     * {@code m x m} matrix, by power iteration from the column of largest norm (never orthogonal
     * to the top eigenvector unless the matrix is zero).
     */
    static double[] topEigenvector(double[] g, int m) {
        int start = 0;
        double bestNorm = -1;
        for (int j = 0; j < m; j++) {
            double s = 0;
            for (int i = 0; i < m; i++) {
                s += g[i * m + j] * g[i * m + j];
            }
            if (s > bestNorm) {
                bestNorm = s;
                start = j;
            }
        }
        double[] v = new double[m];
        for (int i = 0; i < m; i++) {
            v[i] = g[i * m + start];
        }
        if (!normalise(v)) {
            v[0] = 1; // a zero matrix: every vector is an eigenvector
            return v;
        }
        double[] next = new double[m];
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            for (int i = 0; i < m; i++) {
                double s = 0;
                int row = i * m;
                for (int j = 0; j < m; j++) {
                    s += g[row + j] * v[j];
                }
                next[i] = s;
            }
            if (!normalise(next)) {
                return v;
            }
            double change = 0;
            for (int i = 0; i < m; i++) {
                change = Math.max(change, Math.abs(next[i] - v[i]));
            }
            double[] t = v;
            v = next;
            next = t;
            if (change < TOLERANCE) {
                break;
            }
        }
        return v;
    }

    private static double rayleigh(double[] g, double[] v, int m) {
        double s = 0;
        for (int i = 0; i < m; i++) {
            double r = 0;
            for (int j = 0; j < m; j++) {
                r += g[i * m + j] * v[j];
            }
            s += v[i] * r;
        }
        return s;
    }

    private static boolean normalise(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        if (!(s > 0)) {
            return false;
        }
        double inv = 1 / Math.sqrt(s);
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return true;
    }
}
