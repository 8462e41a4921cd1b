package dev.tlab.trainer.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tlab.images.RgbImage;
import org.junit.jupiter.api.Test;

class DecodedImageCacheTest {

    private static RgbImage image(int width, int height) {
        return new RgbImage(width, height, new byte[3 * width * height]);
    }

    @Test
    void keepsImagesUntilTheBudgetIsFullAndEvictsNone() {
        DecodedImageCache cache = new DecodedImageCache(3 * 100 + 3 * 50);
        RgbImage first = image(10, 10);
        cache.offer("a", first);
        cache.offer("b", image(10, 10)); // 300 more than the 150 left: not kept
        RgbImage third = image(5, 10);
        cache.offer("c", third);
        assertSame(first, cache.get("a"));
        assertNull(cache.get("b"));
        assertSame(third, cache.get("c"));
        assertEquals(450, cache.usedBytes());
        cache.offer("a", image(1, 1)); // already kept: nothing changes
        assertEquals(450, cache.usedBytes());
        assertSame(first, cache.get("a"));
    }

    @Test
    void aBudgetOfNothingKeepsNothing() {
        DecodedImageCache none = DecodedImageCache.none();
        none.offer("a", image(1, 1));
        assertNull(none.get("a"));
        assertEquals(0, none.size());
        assertThrows(IllegalArgumentException.class, () -> new DecodedImageCache(-1));
    }
}
