/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * csv.c - tests for the streaming CSV reader (src/ingest/csv.c) on in-memory files: BOM,
 * CRLF, quoted newlines and the line numbers rows report, delimiter detection, malformed
 * input and callbacks that stop the read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ingest/csv.h"

#define MAX_ROWS 16

/* What the callback saw: each row's start line and its fields joined with '|'. */
typedef struct {
    int nrows;
    int64_t line[MAX_ROWS];
    size_t nfields[MAX_ROWS];
    char text[MAX_ROWS][256];
    int stop_at;        /* return stop_rc on this row (1-based); 0 = never */
    cr_err stop_rc;     /* what to return there */
    size_t bytes_seen;  /* sum over on_bytes */
    int progress_calls; /* on_progress calls */
} rows_seen;

static cr_err collect_row(const cr_csv_row *row, void *payload)
{
    rows_seen *rs = payload;
    char *t;
    size_t i, n = 0;

    if (rs->nrows >= MAX_ROWS)
        return cr_error_set(CR_ERROR, CR_ERRCLASS_NONE, "too many rows for the test");
    t = rs->text[rs->nrows];
    rs->line[rs->nrows] = row->line;
    rs->nfields[rs->nrows] = row->nfields;
    t[0] = '\0';
    for (i = 0; i < row->nfields; i++) {
        assert_int_equal(strlen(row->fields[i]), row->lens[i]);
        n += (size_t)snprintf(t + n, 256 - n, "%s%s", i ? "|" : "", row->fields[i]);
        assert_true(n < 256);
    }
    rs->nrows++;
    if (rs->stop_at == rs->nrows)
        return rs->stop_rc == CR_ITEROVER
                   ? CR_ITEROVER
                   : cr_error_set(rs->stop_rc, CR_ERRCLASS_IMPORT, "stopped by the callback");
    return CR_OK;
}

static void count_bytes(const void *data, size_t len, void *payload)
{
    rows_seen *rs = payload;

    (void)data;
    rs->bytes_seen += len;
}

static void count_progress(uint64_t done, void *payload)
{
    rows_seen *rs = payload;

    (void)done;
    rs->progress_calls++;
}

/* Read `len` bytes of `data` as the file "t.csv". */
static cr_err read_mem(rows_seen *rs, char *delim, const char *data, size_t len)
{
    cr_csv_reader r;
    FILE *f;
    cr_err rc;

    memset(&r, 0, sizeof(r));
    r.name = "t.csv";
    r.on_row = collect_row;
    r.on_bytes = count_bytes;
    r.on_progress = count_progress;
    r.payload = rs;
    if (len == 0) {
        /* fmemopen() of a zero-size buffer is unspecified; use an empty temporary file */
        f = tmpfile();
    } else {
        f = fmemopen((void *)data, len, "r");
    }
    assert_non_null(f);
    rc = cr_csv_read(&r, f);
    fclose(f);
    if (delim)
        *delim = r.delimiter;
    return rc;
}

static cr_err read_str(rows_seen *rs, const char *data)
{
    return read_mem(rs, NULL, data, strlen(data));
}

static void assert_row(const rows_seen *rs, int i, int64_t line, const char *text)
{
    assert_true(i < rs->nrows);
    if (rs->line[i] != line || strcmp(rs->text[i], text) != 0)
        fail_msg("row %d: line %lld \"%s\", expected line %lld \"%s\"", i, (long long)rs->line[i],
                 rs->text[i], (long long)line, text);
}

static void test_csv__simple_rows_and_lines(void **state)
{
    rows_seen rs = { 0 };
    char delim = 0;
    static const char in[] = "a,b,c\n1,2,3\n4,,6\n";

    (void)state;
    assert_int_equal(read_mem(&rs, &delim, in, sizeof(in) - 1), CR_OK);
    assert_int_equal(delim, ',');
    assert_int_equal(rs.nrows, 3);
    assert_row(&rs, 0, 1, "a|b|c");
    assert_row(&rs, 1, 2, "1|2|3");
    assert_row(&rs, 2, 3, "4||6");
    assert_int_equal(rs.nfields[2], 3);
    assert_int_equal(rs.bytes_seen, sizeof(in) - 1);
    assert_true(rs.progress_calls >= 1);
}

static void test_csv__bom_is_stripped(void **state)
{
    rows_seen rs = { 0 };
    static const char in[] = "\xEF\xBB\xBFplatform,handle\ninstagram,maya\n";

    (void)state;
    assert_int_equal(read_str(&rs, in), CR_OK);
    assert_int_equal(rs.nrows, 2);
    assert_row(&rs, 0, 1, "platform|handle");
    assert_row(&rs, 1, 2, "instagram|maya");
    /* the checksum callback still sees the BOM */
    assert_int_equal(rs.bytes_seen, sizeof(in) - 1);
}

static void test_csv__crlf_line_ends(void **state)
{
    rows_seen rs = { 0 };

    (void)state;
    assert_int_equal(read_str(&rs, "a,b\r\n1,2\r\n\"x\",\"y\"\r\n"), CR_OK);
    assert_int_equal(rs.nrows, 3);
    assert_row(&rs, 0, 1, "a|b");
    assert_row(&rs, 1, 2, "1|2");
    assert_row(&rs, 2, 3, "x|y");
}

static void test_csv__quoted_newline_reports_the_row_start_line(void **state)
{
    rows_seen rs = { 0 };

    (void)state;
    assert_int_equal(read_str(&rs, "id,text\n1,\"hello\nworld\"\n2,x\n3,\"a\n\nb\nc\"\n4,y\n"),
                     CR_OK);
    assert_int_equal(rs.nrows, 5);
    assert_row(&rs, 0, 1, "id|text");
    assert_row(&rs, 1, 2, "1|hello\nworld");
    assert_row(&rs, 2, 4, "2|x");
    assert_row(&rs, 3, 5, "3|a\n\nb\nc");
    assert_row(&rs, 4, 9, "4|y");
}

static void test_csv__quoted_newline_with_crlf(void **state)
{
    rows_seen rs = { 0 };

    (void)state;
    assert_int_equal(read_str(&rs, "a,b\r\n1,\"x\r\ny\"\r\n2,z\r\n"), CR_OK);
    assert_int_equal(rs.nrows, 3);
    assert_row(&rs, 1, 2, "1|x\r\ny");
    assert_row(&rs, 2, 4, "2|z");
}

static void test_csv__quoted_fields(void **state)
{
    rows_seen rs = { 0 };

    (void)state;
    assert_int_equal(read_str(&rs, "a,b,c\n\"1,234\",\"say \"\"hi\"\"\",\"\"\n"), CR_OK);
    assert_int_equal(rs.nrows, 2);
    assert_row(&rs, 1, 2, "1,234|say \"hi\"|");
    assert_int_equal(rs.nfields[1], 3);
}

static void test_csv__blanks_inside_fields_are_kept(void **state)
{
    rows_seen rs = { 0 };

    (void)state;
    assert_int_equal(read_str(&rs, "a,b\n  x , y  \n"), CR_OK);
    assert_row(&rs, 1, 2, "  x | y  ");
}

static void test_csv__blank_lines_are_skipped(void **state)
{
    rows_seen rs = { 0 };

    (void)state;
    assert_int_equal(read_str(&rs, "a,b\n\n1,2\n\n\n3,4\n\r\n5,6\n\n"), CR_OK);
    assert_int_equal(rs.nrows, 4);
    assert_row(&rs, 0, 1, "a|b");
    assert_row(&rs, 1, 3, "1|2");
    assert_row(&rs, 2, 6, "3|4");
    assert_row(&rs, 3, 8, "5|6");
}

static void test_csv__semicolon_delimiter_detected(void **state)
{
    rows_seen rs = { 0 };
    char delim = 0;
    static const char in[] = "platform;handle;followers\ninstagram;maya;1,234\n";

    (void)state;
    assert_int_equal(read_mem(&rs, &delim, in, sizeof(in) - 1), CR_OK);
    assert_int_equal(delim, ';');
    assert_int_equal(rs.nrows, 2);
    assert_row(&rs, 1, 2, "instagram|maya|1,234");
    assert_int_equal(rs.nfields[1], 3);
}

static void test_csv__tab_delimiter_detected(void **state)
{
    rows_seen rs = { 0 };
    char delim = 0;
    static const char in[] = "platform\thandle\tname\ninstagram\tmaya\tMaya, Runs; Far\n";

    (void)state;
    assert_int_equal(read_mem(&rs, &delim, in, sizeof(in) - 1), CR_OK);
    assert_int_equal(delim, '\t');
    assert_row(&rs, 1, 2, "instagram|maya|Maya, Runs; Far");
    assert_int_equal(rs.nfields[1], 3);
}

static void test_csv__delimiters_inside_quotes_do_not_count(void **state)
{
    rows_seen rs = { 0 };
    char delim = 0;
    static const char in[] = "\"a,b,c,d\";x;y\n1;2;3\n";

    (void)state;
    assert_int_equal(read_mem(&rs, &delim, in, sizeof(in) - 1), CR_OK);
    assert_int_equal(delim, ';');
    assert_row(&rs, 0, 1, "a,b,c,d|x|y");
}

static void test_csv__last_row_without_newline(void **state)
{
    rows_seen rs = { 0 };

    (void)state;
    assert_int_equal(read_str(&rs, "a,b\n1,2\n3,4"), CR_OK);
    assert_int_equal(rs.nrows, 3);
    assert_row(&rs, 2, 3, "3|4");
    memset(&rs, 0, sizeof(rs));
    assert_int_equal(read_str(&rs, "a,b\n1,\"x\ny\""), CR_OK);
    assert_int_equal(rs.nrows, 2);
    assert_row(&rs, 1, 2, "1|x\ny");
}

static void test_csv__empty_input_has_no_rows(void **state)
{
    rows_seen rs = { 0 };

    (void)state;
    assert_int_equal(read_mem(&rs, NULL, "", 0), CR_OK);
    assert_int_equal(rs.nrows, 0);
    assert_int_equal(read_str(&rs, "\n\n"), CR_OK);
    assert_int_equal(rs.nrows, 0);
}

static void test_csv__unterminated_quote_at_eof(void **state)
{
    rows_seen rs = { 0 };

    (void)state;
    cr_error_clear();
    assert_int_equal(read_str(&rs, "a,b\n1,\"oops\n2,3\n4,5\n"), CR_EINVALID);
    assert_int_equal(rs.nrows, 1);
    assert_non_null(cr_error_last());
    assert_int_equal(cr_error_last()->klass, CR_ERRCLASS_PARSE);
    assert_string_equal(cr_error_last()->message,
                        "t.csv:4: malformed CSV: the file ends inside a quoted field that starts "
                        "on line 2");
}

static void test_csv__stray_quote_in_unquoted_field(void **state)
{
    rows_seen rs = { 0 };

    (void)state;
    cr_error_clear();
    assert_int_equal(read_str(&rs, "a,b,c\n1,x\"y,3\n4,5,6\n"), CR_EINVALID);
    assert_int_equal(rs.nrows, 1); /* the header only: nothing after the bad line */
    assert_non_null(cr_error_last());
    assert_int_equal(cr_error_last()->klass, CR_ERRCLASS_PARSE);
    assert_string_equal(cr_error_last()->message,
                        "t.csv:2:2: malformed CSV: a quote inside an unquoted field, or text after "
                        "a closing quote (quote the whole field and double the quotes inside it: "
                        "\"say \"\"hi\"\"\")");
}

static void test_csv__text_after_closing_quote(void **state)
{
    rows_seen rs = { 0 };

    (void)state;
    cr_error_clear();
    assert_int_equal(read_str(&rs, "a,b\n1,2\n\"x\"y,3\n"), CR_EINVALID);
    assert_int_equal(rs.nrows, 2);
    assert_non_null(cr_error_last());
    assert_non_null(strstr(cr_error_last()->message, "t.csv:3:1: malformed CSV"));
}

/* Rows whose start lines are checked as they arrive: field 0 is the row number, and the
 * expected start line of each row is known in advance. */
typedef struct {
    const int64_t *expected_line;
    int nrows, bad;
    size_t bytes_seen;
    int progress_calls;
} big_check;

static cr_err check_big_row(const cr_csv_row *row, void *payload)
{
    big_check *bc = payload;

    if (bc->nrows > 0) {
        long i = strtol(row->fields[0], NULL, 10);
        if (row->nfields != 2 || i != bc->nrows || row->line != bc->expected_line[i])
            bc->bad++;
    }
    bc->nrows++;
    return CR_OK;
}

static void big_bytes(const void *data, size_t len, void *payload)
{
    (void)data;
    ((big_check *)payload)->bytes_seen += len;
}

static void big_progress(uint64_t done, void *payload)
{
    (void)done;
    ((big_check *)payload)->progress_calls++;
}

/* More than a few read blocks of input, with rows and quoted newlines of varying lengths,
 * so that block boundaries fall inside lines, inside quoted fields and right after '\n'. */
static void test_csv__line_numbers_across_read_blocks(void **state)
{
    enum { NROWS = 40000 };
    static char data[4 << 20];
    static int64_t expected[NROWS + 1];
    size_t n = 0;
    int64_t line = 2;
    cr_csv_reader r;
    big_check bc;
    FILE *f;
    int i, j;

    (void)state;
    n += (size_t)snprintf(data, sizeof(data), "id,text\n");
    for (i = 1; i <= NROWS; i++) {
        expected[i] = line;
        n += (size_t)snprintf(data + n, sizeof(data) - n, "%d,", i);
        if (i % 7 == 0) {
            data[n++] = '"';
            for (j = 0; j < i % 5 + 1; j++) {
                n += (size_t)snprintf(data + n, sizeof(data) - n, "part %d\n", j);
                line++;
            }
            data[n++] = '"';
        } else {
            for (j = 0; j < i % 61; j++)
                data[n++] = (char)('a' + j % 26);
        }
        data[n++] = '\n';
        line++;
        assert_true(n + 512 < sizeof(data));
    }
    assert_true(n > (size_t)3 * (256 << 10));

    memset(&bc, 0, sizeof(bc));
    bc.expected_line = expected;
    memset(&r, 0, sizeof(r));
    r.name = "big.csv";
    r.on_row = check_big_row;
    r.on_bytes = big_bytes;
    r.on_progress = big_progress;
    r.payload = &bc;
    f = fmemopen(data, n, "r");
    assert_non_null(f);
    assert_int_equal(cr_csv_read(&r, f), CR_OK);
    fclose(f);
    assert_int_equal(bc.nrows, NROWS + 1);
    assert_int_equal(bc.bad, 0);
    assert_int_equal(bc.bytes_seen, n);
    assert_true(bc.progress_calls >= 2);
}

static void test_csv__callback_iterover_stops_quietly(void **state)
{
    rows_seen rs = { 0 };

    (void)state;
    rs.stop_at = 2;
    rs.stop_rc = CR_ITEROVER;
    assert_int_equal(read_str(&rs, "a,b\n1,2\n3,4\n5,6\n"), CR_OK);
    assert_int_equal(rs.nrows, 2);
    assert_row(&rs, 1, 2, "1|2");
}

static void test_csv__callback_iterover_on_the_last_row(void **state)
{
    rows_seen rs = { 0 };

    (void)state;
    rs.stop_at = 2;
    rs.stop_rc = CR_ITEROVER;
    assert_int_equal(read_str(&rs, "a,b\n1,2"), CR_OK);
    assert_int_equal(rs.nrows, 2);
}

static void test_csv__callback_error_is_returned(void **state)
{
    rows_seen rs = { 0 };

    (void)state;
    rs.stop_at = 2;
    rs.stop_rc = CR_EINVALID;
    assert_int_equal(read_str(&rs, "a,b\n1,2\n3,4\n"), CR_EINVALID);
    assert_int_equal(rs.nrows, 2);
    assert_string_equal(cr_error_last()->message, "stopped by the callback");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv__simple_rows_and_lines),
        cmocka_unit_test(test_csv__bom_is_stripped),
        cmocka_unit_test(test_csv__crlf_line_ends),
        cmocka_unit_test(test_csv__quoted_newline_reports_the_row_start_line),
        cmocka_unit_test(test_csv__quoted_newline_with_crlf),
        cmocka_unit_test(test_csv__quoted_fields),
        cmocka_unit_test(test_csv__blanks_inside_fields_are_kept),
        cmocka_unit_test(test_csv__blank_lines_are_skipped),
        cmocka_unit_test(test_csv__semicolon_delimiter_detected),
        cmocka_unit_test(test_csv__tab_delimiter_detected),
        cmocka_unit_test(test_csv__delimiters_inside_quotes_do_not_count),
        cmocka_unit_test(test_csv__last_row_without_newline),
        cmocka_unit_test(test_csv__empty_input_has_no_rows),
        cmocka_unit_test(test_csv__unterminated_quote_at_eof),
        cmocka_unit_test(test_csv__stray_quote_in_unquoted_field),
        cmocka_unit_test(test_csv__text_after_closing_quote),
        cmocka_unit_test(test_csv__line_numbers_across_read_blocks),
        cmocka_unit_test(test_csv__callback_iterover_stops_quietly),
        cmocka_unit_test(test_csv__callback_iterover_on_the_last_row),
        cmocka_unit_test(test_csv__callback_error_is_returned),
    };

    return cmocka_run_group_tests_name("ingest.csv", tests, NULL, NULL);
}
