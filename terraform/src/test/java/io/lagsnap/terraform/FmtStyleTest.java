package io.lagsnap.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The fmt-style rules on small inputs, formatted as terraform fmt formats them and not. */
class FmtStyleTest {
    @Test
    void acceptsFormattedCode() {
        String ok = """
                resource "x" "y" {
                  name        = "a"
                  description = "b"
                  tags = merge(var.tags, {
                    Name = "c"
                  })

                  dynamic "d" {
                    for_each = var.on ? [true] : []

                    content {
                      value = "${var.x}-{literal}"
                    }
                  }
                }
                """;
        assertThat(FmtStyle.check(ok)).isEmpty();
    }

    @Test
    void reportsMisalignedEquals() {
        String bad = """
                locals {
                  a = 1
                  long_name = 2
                }
                """;
        assertThat(FmtStyle.check(bad)).containsExactly(
                "2: \"=\" at column 5, terraform fmt aligns it at column 13 with the neighbouring attributes");
    }

    @Test
    void reportsIndentationTabsTrailingSpaceAndFinalNewline() {
        String bad = "locals {\n   a = 1 \n\tb = 2\n}";
        assertThat(FmtStyle.check(bad)).contains(
                "end: the file must end with exactly one newline",
                "2: trailing whitespace",
                "3: tab character (indent with two spaces)",
                "2: indented 3 spaces, terraform fmt uses 2");
    }

    @Test
    void aMultiLineValueEndsTheAlignedGroup() {
        String ok = """
                locals {
                  a = 1
                  config = templatefile("f", {
                    x = 1
                  })
                  long_name = 2
                }
                """;
        assertThat(FmtStyle.check(ok)).isEmpty();
    }

    @Test
    void reportsTwoSpacesAfterEquals() {
        assertThat(FmtStyle.check("locals {\n  a =  1\n}\n")).containsExactly("2: exactly one space after \"=\"");
    }
}
