package vista.models.app.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import vista.tensor.kernels.OpCatalogue;

/**
 * The parity vocabulary ({@link CaseBuilders#VOCABULARY}, FORMAT.md's op names) and the op catalogue that
 * the kernel and gradient tests share ({@link OpCatalogue}) name the same op the same way: every op of
 * the vocabulary is a catalogue entry, unless it runs several of them.
 */
class VocabularyTest {
    /**
     * Vocabulary ops that run several catalogue entries: a layer, a loss, a block or a whole model (given
     * its parameters, or loaded from a PyTorch weight file by {@code checkpoint}).
     */
    private static final Set<String> COMPOSED = Set.of("linear", "cross_entropy", "san_subtraction", "san_sam",
            "san_bottleneck", "model", "checkpoint");

    @Test
    void everyOpOfTheVocabularyIsACatalogueEntryUnlessComposedOfThem() {
        Set<String> notInTheCatalogue = new TreeSet<>(CaseBuilders.VOCABULARY);
        notInTheCatalogue.removeAll(OpCatalogue.names());
        assertEquals(new TreeSet<>(COMPOSED), notInTheCatalogue);
    }
}
