package org.layerlens.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.layerlens.engine.analysis.Calibration;
import org.layerlens.engine.analysis.Int8Simulation;

/** What --compare takes. */
class CompareSourceTest {
    @Test
    void specs() {
        assertEquals(new CompareSource.Variant(ImageVariants.Kind.MIRRORED, 0), CompareSource.parse("mirrored"));
        assertEquals(new CompareSource.Variant(ImageVariants.Kind.DARKER, 0.5), CompareSource.parse("darker"));
        assertEquals(new CompareSource.Variant(ImageVariants.Kind.DARKER, 0.3), CompareSource.parse("darker:0.3"));
        assertEquals(new CompareSource.Variant(ImageVariants.Kind.JPEG, 20), CompareSource.parse("jpeg"));
        assertEquals(new CompareSource.Variant(ImageVariants.Kind.JPEG, 5), CompareSource.parse("jpeg:5"));
        assertEquals(new CompareSource.ImageFile(Path.of("a b.png")), CompareSource.parse("image:a b.png"));
        assertEquals(new CompareSource.Int8File(Path.of("s.json"), Calibration.Choice.MINMAX,
                Int8Simulation.Weights.PER_CHANNEL), CompareSource.parse("int8-per-channel:s.json"));
        assertEquals(new CompareSource.Int8File(Path.of("C:/s.json"), Calibration.Choice.P999,
                Int8Simulation.Weights.PER_TENSOR), CompareSource.parse("int8-per-tensor:C:/s.json:p999"));
        assertEquals(new CompareSource.ModelRef("faces-v1"), CompareSource.parse("faces-v1"));
        assertEquals(new CompareSource.ModelRef("/m/x.onnx"), CompareSource.parse("/m/x.onnx"));
        for (String bad : new String[] {"darker:0", "darker:1.5", "darker:x", "jpeg:101", "jpeg:0", "image",
            "int8-per-channel"}) {
            assertThrows(IllegalArgumentException.class, () -> CompareSource.parse(bad), bad);
        }
    }
}
