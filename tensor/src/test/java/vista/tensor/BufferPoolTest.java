package vista.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What a {@link BufferPool} lends, takes back and refuses, and where it is in use. */
class BufferPoolTest {

    @Test
    void givenBackArraysAreLentAgainZeroFilled() {
        BufferPool pool = new BufferPool();
        try (BufferPool.Scope scope = pool.use()) {
            Tensor first = Tensor.zeros(2, 3);
            first.fill(7);
            assertTrue(pool.giveBack(first.storage()));
            Tensor second = Tensor.zeros(3, 2);
            assertSame(first.floats(), second.floats());
            assertEquals(0, second.sum().item());
            assertEquals(24, pool.reusedBytes());
        }
    }

    @Test
    void unfilledStorageIsLentAsItCameBackOrPoisoned() {
        BufferPool pool = new BufferPool();
        try (BufferPool.Scope scope = pool.use()) {
            Tensor first = Tensor.unfilled(DType.FLOAT32, Shape.of(2, 3));
            assertEquals(0, first.sum().item(), "a new array is zeros");
            first.fill(7);
            assertTrue(pool.giveBack(first.storage()));
            Tensor second = Tensor.unfilled(DType.FLOAT32, Shape.of(6));
            assertSame(first.floats(), second.floats());
            assertEquals(42, second.sum().item(), "not zero-filled again");
            assertTrue(pool.giveBack(second.storage()));
            assertEquals(0, Tensor.zeros(6).sum().item(), "zeros still means zeros");
        }
        BufferPool poisoning = BufferPool.poisoning();
        try (BufferPool.Scope scope = poisoning.use()) {
            Tensor fresh = Tensor.unfilled(DType.FLOAT32, Shape.of(4));
            assertTrue(Float.isNaN(fresh.floats()[3]), "poisoned when new");
            fresh.fill(1);
            assertTrue(poisoning.giveBack(fresh.storage()));
            assertTrue(Float.isNaN(Tensor.unfilled(DType.FLOAT32, Shape.of(4)).floats()[0]), "poisoned when reused");
            assertEquals(0, Tensor.zeros(4).sum().item(), "zeros are never poisoned");
        }
        assertEquals(0, Tensor.unfilled(DType.FLOAT32, Shape.of(3)).sum().item(), "without a pool: a new array");
    }

    @Test
    void refusesArraysItDidNotLendAndArraysAlreadyBack() {
        BufferPool pool = new BufferPool();
        Tensor foreign = Tensor.zeros(4);
        assertFalse(pool.giveBack(foreign.storage()));
        try (BufferPool.Scope scope = pool.use()) {
            Tensor lent = Tensor.zeros(4);
            assertTrue(pool.isLent(lent.storage()));
            assertTrue(pool.giveBack(lent.storage()));
            assertFalse(pool.giveBack(lent.storage()));
            assertFalse(pool.isLent(lent.storage()));
            assertFalse(pool.giveBack(Tensor.zeros(DType.FLOAT64, Shape.of(4)).storage()));
            Tensor again = Tensor.zeros(4);
            assertSame(lent.floats(), again.floats());
            assertNotSame(again.floats(), Tensor.zeros(4).floats());
        }
        assertEquals(0, pool.freeBytes());
        assertEquals(32, pool.allocatedBytes());
    }

    @Test
    void scopesNestAndOtherThreadsAreUnaffected() throws InterruptedException {
        BufferPool outer = new BufferPool();
        BufferPool inner = new BufferPool();
        assertNull(BufferPool.current());
        try (BufferPool.Scope a = outer.use()) {
            try (BufferPool.Scope b = inner.use()) {
                assertSame(inner, BufferPool.current());
                AtomicReference<BufferPool> seen = new AtomicReference<>(inner);
                Thread other = new Thread(() -> seen.set(BufferPool.current()));
                other.start();
                other.join();
                assertNull(seen.get());
                assertTrue(inner.isLent(Tensor.zeros(3).storage()));
            }
            assertSame(outer, BufferPool.current());
        }
        assertNull(BufferPool.current());
        assertFalse(outer.isLent(Tensor.zeros(3).storage()));
    }
}
