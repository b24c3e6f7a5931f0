package io.quell.parser.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** sqlcommenter comments decoded as the sqlcommenter spec says; anything else ignored. */
class QueryTagsTest {
  @Test void pairsAreDecodedInTheOrderWritten() {
    assertEquals("route=/reports/q1,controller=dashboard,framework=spring 6",
        QueryTags.of("SELECT 1 /*route='%2Freports%2Fq1',controller='dashboard',"
            + "framework='spring%206'*/"));
  }

  @Test void keysAreDecodedAndValuesKeepTheirCommasAndEscapedQuotes() {
    assertEquals("db driver=pg,note=a,b 'c'",
        QueryTags.of("SELECT 1 /*db%20driver='pg', note='a,b \\'c\\''*/"));
  }

  @Test void aPlusStaysAPlusAndUtf8IsDecoded() {
    assertEquals("q=a+b,city=Zürich,emoji=\uD83D\uDE00",
        QueryTags.of("/*q='a+b',city='Z%C3%BCrich',emoji='%F0%9F%98%80'*/ SELECT 1"));
  }

  @Test void severalCommentsAddUp() {
    assertEquals("a=1,b=2", QueryTags.of("/*a='1'*/ SELECT /* b='2' */ 1"));
  }

  @Test void nothingForStatementsWithoutTags() {
    assertEquals("", QueryTags.of("SELECT 1"));
    assertEquals("", QueryTags.of(null));
    assertEquals("", QueryTags.of("SELECT 1 /* just a note */"));
    assertEquals("", QueryTags.of("SELECT /*+ hint */ 1"));
    assertEquals("", QueryTags.of("SELECT 1 -- /*a='1'*/"));
  }

  @Test void commentsInsideLiteralsAndQuotedNamesAreNotTags() {
    assertEquals("", QueryTags.of("SELECT '/*a=''1''*/'"));
    assertEquals("", QueryTags.of("SELECT 1 AS \"/*a='1'*/\""));
    assertEquals("b=2", QueryTags.of("SELECT 'it''s /*a=''1''*/' /*b='2'*/"));
  }

  @Test void malformedCommentsAreIgnoredWhole() {
    assertEquals("", QueryTags.of("SELECT 1 /*a=1*/"));
    assertEquals("", QueryTags.of("SELECT 1 /*a='1',b*/"));
    assertEquals("", QueryTags.of("SELECT 1 /*a='1' b='2'*/"));
    assertEquals("", QueryTags.of("SELECT 1 /*a='unterminated*/"));
    assertEquals("", QueryTags.of("SELECT 1 /*a='%zz'*/"));
    assertEquals("", QueryTags.of("SELECT 1 /*a='%C3'*/"));
    assertEquals("", QueryTags.of("SELECT 1 /*='1'*/"));
    assertEquals("", QueryTags.of("SELECT 1 /*a='1'"));
    assertEquals("ok=1", QueryTags.of("SELECT 1 /*a=1*/ /*ok='1'*/"));
  }
}
