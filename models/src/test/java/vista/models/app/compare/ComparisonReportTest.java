package vista.models.app.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ComparisonReportTest {
    @Test
    void formatsPValuesOfAnySizeFromTheirLogarithm() {
        assertEquals("0.016", ComparisonReport.p(Math.log10(0.0164)));
        assertEquals("1.000", ComparisonReport.p(0));
        assertEquals("1.0e-03", ComparisonReport.p(Math.log10(0.00099996)), "a mantissa that rounds up to 10");
        assertEquals("3.0e-29", ComparisonReport.p(Math.log10(3.0e-29)));
        assertEquals("1.7e-602", ComparisonReport.p(-1999 * Math.log10(2)), "2^-1999, below the smallest double");
        assertEquals("0", ComparisonReport.p(Double.NEGATIVE_INFINITY), "only a result the hypothesis rules out");
    }
}
