package org.layerlens.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.layerlens.engine.api.Model;

/** The tree's columns: every row counts the multiply-adds below it, holders that never run included. */
class ModelFactsTest {
    @Test
    void holdersCountTheirChildrenAndTheRootCountsEverything() throws Exception {
        Model m = Fixtures.load(Fixtures.randomModel().toString(), null);
        ModelFacts f = ModelFacts.of(m);
        assertSame(f, ModelFacts.of(m), "read once per model");
        long heads = 0;
        for (int i = 0; i < 6; i++) {
            heads += m.info("classification_headers." + i).multiplyAdds();
        }
        assertTrue(heads > 0);
        // the engine gives a holder its children's count, so summary and the window agree
        assertEquals(heads, m.info("classification_headers").multiplyAdds(), "a ModuleList counts its heads");
        assertEquals(heads, f.get("classification_headers").multiplyAdds(), "and so does the window's column");
        assertEquals(m.graph().totalMacs(), f.total().multiplyAdds());
        assertEquals(m.info("base_net.3").multiplyAdds(), f.get("base_net.3").multiplyAdds());
        assertEquals(19L * 19 * 576 * 96, f.get("base_net.14.conv.0").multiplyAdds());
        assertEquals("1.24M", Format.macs(1_240_000));
        assertEquals("518.4K", Format.macs(518_400));
        assertEquals("3.14G", Format.macs(3_140_000_000L));
        assertEquals("999", Format.macs(999));
    }
}
