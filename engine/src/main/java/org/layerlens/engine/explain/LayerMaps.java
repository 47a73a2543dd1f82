package org.layerlens.engine.explain;

import org.layerlens.engine.api.LayerData;
import org.layerlens.engine.exec.Gram;

/**
 * Where a module looks, from its activations alone (no gradients): the mean over channels at
 * each position, and Eigen-CAM (Muhammad and Yeasin, 2020): the activations projected on their
 * first principal component. Both are row-major {@code height x width} maps of the module's grid,
 * which spans the network input.
 */
public final class LayerMaps {
    private static final int MAX_STEPS = 150;
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
     * Computed from the smaller of the two Gram matrices (BLAS, double) by Lanczos iteration.
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
            double[] v = topEigenvector(Gram.of(a, n, c, true), c);
            for (int p = 0; p < n; p++) {
                double s = 0;
                for (int ch = 0; ch < c; ch++) {
                    s += a[p * c + ch] * v[ch];
                }
                proj[p] = s;
            }
        } else {
            // A A^T u = lambda u gives A v = sqrt(lambda) u for the matching right singular vector v
            double[] g = Gram.of(a, n, c, false);
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

    /**
     * The unit eigenvector of the largest eigenvalue of a symmetric positive semi-definite
     * {@code m x m} matrix, by Lanczos iteration with full reorthogonalisation (power iteration
     * needs thousands of steps when the first two components are close, as they often are in a
     * feature map), started from the column of largest norm. Stops when the Ritz pair's residual
     * is below {@code TOLERANCE} of its eigenvalue, or the Krylov space is the whole space.
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
        double[] q = new double[m];
        for (int i = 0; i < m; i++) {
            q[i] = g[i * m + start];
        }
        if (!normalise(q)) {
            q[0] = 1; // a zero matrix: every vector is an eigenvector
            return q;
        }
        int maxSteps = Math.min(m, MAX_STEPS);
        double[][] basis = new double[maxSteps][];
        double[] alpha = new double[maxSteps];
        double[] beta = new double[maxSteps];
        double[] ritz = null;
        int steps = 0;
        for (int j = 0; j < maxSteps; j++) {
            basis[j] = q;
            steps = j + 1;
            double[] w = multiply(g, q, m);
            alpha[j] = dot(q, w);
            // twice: one pass of Gram-Schmidt loses orthogonality in floating point
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i <= j; i++) {
                    double c = dot(basis[i], w);
                    for (int k = 0; k < m; k++) {
                        w[k] -= c * basis[i][k];
                    }
                }
            }
            beta[j] = Math.sqrt(dot(w, w));
            boolean last = j == maxSteps - 1 || beta[j] <= TOLERANCE * Math.abs(alpha[0]);
            if (j >= 10 && j % 5 != 4 && !last) {
                // the small eigenproblem is solved every step at first, then every fifth
                q = scaled(w, 1 / beta[j]);
                continue;
            }
            double[][] t = new double[steps][steps];
            for (int i = 0; i < steps; i++) {
                t[i][i] = alpha[i];
                if (i + 1 < steps) {
                    t[i][i + 1] = beta[i];
                    t[i + 1][i] = beta[i];
                }
            }
            double[][] vecs = jacobi(t);
            int top = 0;
            for (int i = 1; i < steps; i++) {
                if (t[i][i] > t[top][top]) {
                    top = i;
                }
            }
            ritz = new double[steps];
            for (int i = 0; i < steps; i++) {
                ritz[i] = vecs[i][top];
            }
            double theta = t[top][top];
            // the residual of the Ritz pair is beta_j times the last component of its eigenvector
            if (beta[j] * Math.abs(ritz[steps - 1]) <= TOLERANCE * Math.max(theta, Double.MIN_NORMAL)
                    || beta[j] <= TOLERANCE * Math.max(theta, Double.MIN_NORMAL)) {
                break;
            }
            q = scaled(w, 1 / beta[j]);
        }
        double[] v = new double[m];
        for (int i = 0; i < steps; i++) {
            for (int k = 0; k < m; k++) {
                v[k] += ritz[i] * basis[i][k];
            }
        }
        normalise(v);
        return v;
    }

    private static double[] scaled(double[] v, double f) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * f;
        }
        return out;
    }

    private static double[] multiply(double[] g, double[] v, int m) {
        double[] out = new double[m];
        for (int i = 0; i < m; i++) {
            double s = 0;
            int row = i * m;
            for (int j = 0; j < m; j++) {
                s += g[row + j] * v[j];
            }
            out[i] = s;
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /**
     * Cyclic Jacobi rotations on a small symmetric matrix (Lanczos's tridiagonal): diagonalises
     * it in place and returns the eigenvectors as columns.
     */
    private static double[][] jacobi(double[][] a) {
        int n = a.length;
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) {
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 60; sweep++) {
            double off = 0;
            double total = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    total += a[i][j] * a[i][j];
                    if (i != j) {
                        off += a[i][j] * a[i][j];
                    }
                }
            }
            if (off <= 1e-30 * total) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int r = p + 1; r < n; r++) {
                    if (a[p][r] == 0) {
                        continue;
                    }
                    double theta = (a[r][r] - a[p][p]) / (2 * a[p][r]);
                    double t = theta == 0 ? 1 : Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double kp = a[k][p];
                        double kr = a[k][r];
                        a[k][p] = c * kp - s * kr;
                        a[k][r] = s * kp + c * kr;
                    }
                    for (int k = 0; k < n; k++) {
                        double pk = a[p][k];
                        double rk = a[r][k];
                        a[p][k] = c * pk - s * rk;
                        a[r][k] = s * pk + c * rk;
                    }
                    for (int k = 0; k < n; k++) {
                        double kp = v[k][p];
                        double kr = v[k][r];
                        v[k][p] = c * kp - s * kr;
                        v[k][r] = s * kp + c * kr;
                    }
                }
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
