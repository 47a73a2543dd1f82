package org.layerlens.engine.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.layerlens.engine.TestData;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.LayerData;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.image.Images;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Mean activation and Eigen-CAM against an independent computation: the Gram matrix of the
 * centred activations diagonalised completely by LAPACK's symmetric eigensolver (not power
 * iteration, and not the Jacobi rotations LayerMaps itself uses), the first principal component
 * taken from that, and the sign fixed by the documented rule.
 */
class LayerMapsTest {
    @Test
    void eigenCamIsTheProjectionOnTheFirstPrincipalComponent() throws IOException {
        Random r = new Random(3);
        // more positions than channels, and fewer (the other Gram matrix is used)
        check(random(r, 6, 5, 7, true), "6x5x7 with a dominant component");
        check(random(r, 6, 5, 7, false), "6x5x7 plain noise");
        check(random(r, 3, 3, 20, true), "3x3x20 with a dominant component");
        check(random(r, 2, 4, 30, false), "2x4x30 plain noise");
        Model m = Model.open(TestData.reference("mb2-ssd-lite-random-4.pth"), null);
        try (Inspection ins = m.inspect(Images.read(TestData.sampleImage("coffee.png")), null, null)) {
            check(ins.layer("base_net.14.conv.2"), "base_net.14.conv.2 (19x19x576)");
            check(ins.layer("extras.0"), "extras.0 (5x5x512)");
            check(ins.layer("base_net.1"), "base_net.1 (150x150x16)");
        }
    }

    @Test
    void meanActivationIsTheMeanOverChannels() {
        LayerData d = random(new Random(1), 4, 3, 5, false);
        float[] mean = LayerMaps.meanActivation(d);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 3; x++) {
                double s = 0;
                for (int c = 0; c < 5; c++) {
                    s += d.value(c, y, x);
                }
                assertEquals(s / 5, mean[y * 3 + x], 1e-6);
            }
        }
    }

    /** Activations with (optionally) one strong spatial pattern shared by all channels, plus noise. */
    private static LayerData random(Random r, int h, int w, int c, boolean structured) {
        float[] v = new float[h * w * c];
        double[] pattern = new double[h * w];
        double[] load = new double[c];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = r.nextGaussian();
        }
        for (int k = 0; k < c; k++) {
            load[k] = r.nextGaussian();
        }
        for (int p = 0; p < h * w; p++) {
            for (int k = 0; k < c; k++) {
                v[p * c + k] = (float) ((structured ? 3 * pattern[p] * load[k] : 0) + r.nextGaussian() + 0.5);
            }
        }
        return new LayerData("test", c, h, w, v);
    }

    private static void check(LayerData d, String name) {
        int n = d.plane();
        int c = d.channels;
        double[][] a = new double[n][c];
        for (int k = 0; k < c; k++) {
            double mean = 0;
            for (int p = 0; p < n; p++) {
                mean += d.values[p * c + k];
            }
            mean /= n;
            for (int p = 0; p < n; p++) {
                a[p][k] = d.values[p * c + k] - mean;
            }
        }
        // the smaller of A^T A (channels) and A A^T (positions): both have the same nonzero eigenvalues
        boolean byChannel = c <= n;
        int m = byChannel ? c : n;
        double[][] gram = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                double s = 0;
                if (byChannel) {
                    for (int p = 0; p < n; p++) {
                        s += a[p][i] * a[p][j];
                    }
                } else {
                    for (int k = 0; k < c; k++) {
                        s += a[i][k] * a[j][k];
                    }
                }
                gram[i][j] = s;
            }
        }
        // LAPACK's symmetric eigensolver (dsyev through ND4J): eigenvalues ascending, eigenvectors as columns
        INDArray vectors = Nd4j.create(gram).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        INDArray values = Eigen.symmetricGeneralizedEigenvalues(vectors, true);
        double[][] vecs = vectors.toDoubleMatrix();
        int top = m - 1;
        double topValue = values.getDouble(top);
        double second = m > 1 ? values.getDouble(m - 2) : Double.NEGATIVE_INFINITY;
        double[] want = new double[n];
        for (int p = 0; p < n; p++) {
            if (byChannel) {
                for (int k = 0; k < c; k++) {
                    want[p] += a[p][k] * vecs[k][top];
                }
            } else {
                // A v = sigma u for the right singular vector v of the left one u
                want[p] = Math.sqrt(topValue) * vecs[p][top];
            }
        }
        float[] mean = LayerMaps.meanActivation(d);
        double mm = 0;
        for (float f : mean) {
            mm += f;
        }
        mm /= n;
        double corr = 0;
        for (int p = 0; p < n; p++) {
            corr += want[p] * (mean[p] - mm);
        }
        float[] got = LayerMaps.eigenCam(d);
        double max = 0;
        double diff = 0;
        for (int p = 0; p < n; p++) {
            double w = corr < 0 ? -want[p] : want[p];
            max = Math.max(max, Math.abs(w));
            diff = Math.max(diff, Math.abs(w - got[p]));
        }
        System.out.printf("Eigen-CAM %s: eigenvalues %.4g, %.4g (ratio %.3f); worst difference %.2e of max %.3g%n",
                name, topValue, second, second / topValue, diff, max);
        assertTrue(diff <= 1e-4 * Math.max(1, max), name + ": Eigen-CAM differs by " + diff);
    }
}
