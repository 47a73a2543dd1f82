package org.layerlens.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.layerlens.engine.graph.PathStyle;

/** Module paths in PyTorch's dots and in TensorFlow's scopes (where a name may hold a dot). */
class PathStyleTest {
    @Test
    void dotsAndScopes() {
        assertEquals(List.of("base_net.14.conv", "base_net.14", "base_net", ""),
                PathStyle.DOTTED.ancestors("base_net.14.conv"));
        assertEquals(List.of("a/b.c/d", "a/b.c", "a", ""), PathStyle.SCOPED.ancestors("a/b.c/d"));
        assertEquals("b.c", PathStyle.SCOPED.last("a/b.c"));
        assertEquals("c", PathStyle.DOTTED.last("a.b.c"));
        assertTrue(PathStyle.SCOPED.within("a/b/c", "a/b"));
        assertTrue(PathStyle.SCOPED.within("a/b", "a/b"));
        assertTrue(PathStyle.SCOPED.within("a/b", ""));
        assertFalse(PathStyle.SCOPED.within("a/bc", "a/b"));
        assertFalse(PathStyle.SCOPED.within("a.b", "a"));
        assertTrue(PathStyle.DOTTED.within("a.b", "a"));
        assertEquals("a/b", PathStyle.SCOPED.join("a", "b"));
        assertEquals("b", PathStyle.SCOPED.join("", "b"));
        assertEquals(0, PathStyle.SCOPED.split("").length);
    }
}
