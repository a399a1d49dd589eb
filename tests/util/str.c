/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * str.c - tests for cr_str (src/util/str.c): appends and growth, the max bound, detach, and
 * the rule that a failed append (too long, or out of memory) frees and resets the string. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/alloc.h"
#include "util/str.h"

static int teardown_alloc(void **state)
{
    (void)state;
    cr_alloc_fail_after(0);
    return 0;
}

static void assert_reset(const cr_str *s)
{
    assert_null(s->ptr);
    assert_int_equal(s->len, 0);
    assert_int_equal(s->cap, 0);
    assert_string_equal(cr_str_cstr(s), "");
}

static void test_str__new_string_is_empty(void **state)
{
    cr_str s;

    (void)state;
    cr_str_init(&s, 0);
    assert_reset(&s);
    assert_int_equal(s.max, CR_STR_MAX_DEFAULT);
    cr_str_dispose(&s);
}

static void test_str__put_puts_putc_printf(void **state)
{
    cr_str s;

    (void)state;
    cr_str_init(&s, 0);
    assert_int_equal(cr_str_put(&s, "abcdef", 3), CR_OK);
    assert_int_equal(cr_str_puts(&s, "-"), CR_OK);
    assert_int_equal(cr_str_putc(&s, 'x'), CR_OK);
    assert_int_equal(cr_str_printf(&s, "|%d|%s|%.2f", 42, "y", 1.5), CR_OK);
    assert_int_equal(cr_str_put(&s, "", 0), CR_OK);
    assert_string_equal(cr_str_cstr(&s), "abc-x|42|y|1.50");
    assert_int_equal(s.len, strlen("abc-x|42|y|1.50"));
    /* bytes after a NUL are kept: len, not strlen, is the length */
    assert_int_equal(cr_str_put(&s, "\0z", 2), CR_OK);
    assert_int_equal(s.len, strlen("abc-x|42|y|1.50") + 2);
    assert_int_equal(s.ptr[s.len - 1], 'z');
    assert_int_equal(s.ptr[s.len], '\0');
    cr_str_dispose(&s);
    assert_reset(&s);
}

static void test_str__grows_by_doubling(void **state)
{
    cr_str s;
    size_t i;

    (void)state;
    cr_str_init(&s, 0);
    for (i = 0; i < 1000; i++)
        assert_int_equal(cr_str_puts(&s, "0123456789"), CR_OK);
    assert_int_equal(s.len, 10000);
    assert_int_equal(s.cap, 16384); /* 64 doubled up to the first size above 10001 */
    assert_int_equal(strlen(cr_str_cstr(&s)), 10000);
    for (i = 0; i < 1000; i++)
        assert_memory_equal(s.ptr + i * 10, "0123456789", 10);
    for (i = 0; i < 500; i++)
        assert_int_equal(cr_str_printf(&s, "%05zu", i), CR_OK);
    assert_int_equal(s.len, 12500);
    assert_memory_equal(s.ptr + 10000, "00000000010000200003", 20);
    assert_memory_equal(s.ptr + 12495, "00499", 6); /* with the NUL */
    cr_str_dispose(&s);
}

static void test_str__printf_longer_than_the_first_buffer(void **state)
{
    cr_str s;
    char big[300];

    (void)state;
    memset(big, 'q', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    cr_str_init(&s, 0);
    assert_int_equal(cr_str_puts(&s, "<"), CR_OK);
    assert_int_equal(cr_str_printf(&s, "%s>", big), CR_OK);
    assert_int_equal(s.len, 301);
    assert_int_equal(s.ptr[0], '<');
    assert_int_equal(s.ptr[299], 'q');
    assert_int_equal(s.ptr[300], '>');
    assert_int_equal(s.ptr[301], '\0');
    cr_str_dispose(&s);
}

static void test_str__clear_keeps_the_buffer(void **state)
{
    cr_str s;
    size_t cap;

    (void)state;
    cr_str_init(&s, 0);
    assert_int_equal(cr_str_puts(&s, "hello"), CR_OK);
    cap = s.cap;
    cr_str_clear(&s);
    assert_int_equal(s.len, 0);
    assert_int_equal(s.cap, cap);
    assert_string_equal(cr_str_cstr(&s), "");
    assert_int_equal(cr_str_puts(&s, "hi"), CR_OK);
    assert_string_equal(cr_str_cstr(&s), "hi");
    cr_str_dispose(&s);
}

static void test_str__max_bound_exact_fit_is_allowed(void **state)
{
    cr_str s;

    (void)state;
    cr_str_init(&s, 10);
    assert_int_equal(cr_str_puts(&s, "12345"), CR_OK);
    assert_int_equal(cr_str_puts(&s, "67890"), CR_OK);
    assert_int_equal(s.len, 10);
    assert_string_equal(cr_str_cstr(&s), "1234567890");
    cr_str_dispose(&s);
}

static void test_str__max_bound_failure_resets_the_string(void **state)
{
    cr_str s;

    (void)state;
    cr_error_clear();
    cr_str_init(&s, 10);
    assert_int_equal(cr_str_puts(&s, "12345"), CR_OK);
    assert_int_equal(cr_str_puts(&s, "678901"), CR_EINVALID);
    assert_reset(&s);
    assert_non_null(cr_error_last());
    assert_int_equal(cr_error_last()->code, CR_EINVALID);
    assert_string_equal(cr_error_last()->message, "text longer than 10 bytes");
    /* the bound stays, and the string is usable again */
    assert_int_equal(s.max, 10);
    assert_int_equal(cr_str_puts(&s, "abc"), CR_OK);
    assert_string_equal(cr_str_cstr(&s), "abc");
    assert_int_equal(cr_str_printf(&s, "%s", "defghijk"), CR_EINVALID);
    assert_reset(&s);
    /* one huge append is refused before any arithmetic can wrap */
    assert_int_equal(cr_str_puts(&s, "x"), CR_OK);
    assert_int_equal(cr_str_put(&s, "y", SIZE_MAX), CR_EINVALID);
    assert_reset(&s);
    cr_str_dispose(&s);
}

static void test_str__detach_hands_over_the_buffer(void **state)
{
    cr_str s;
    char *p;

    (void)state;
    cr_str_init(&s, 0);
    assert_int_equal(cr_str_printf(&s, "hello %s", "world"), CR_OK);
    p = cr_str_detach(&s);
    assert_non_null(p);
    assert_string_equal(p, "hello world");
    assert_reset(&s);
    /* the string is independent of the detached buffer */
    assert_int_equal(cr_str_puts(&s, "again"), CR_OK);
    assert_string_equal(p, "hello world");
    assert_string_equal(cr_str_cstr(&s), "again");
    cr_free(p);
    cr_str_dispose(&s);
}

static void test_str__detach_of_an_empty_string_is_empty_text(void **state)
{
    cr_str s;
    char *p;

    (void)state;
    cr_str_init(&s, 0);
    p = cr_str_detach(&s);
    assert_non_null(p);
    assert_string_equal(p, "");
    assert_reset(&s);
    cr_free(p);
}

static void test_str__out_of_memory_on_first_append(void **state)
{
    cr_str s;

    (void)state;
    cr_error_clear();
    cr_str_init(&s, 0);
    cr_alloc_fail_after(1);
    assert_int_equal(cr_str_puts(&s, "x"), CR_ENOMEM);
    cr_alloc_fail_after(0);
    assert_reset(&s);
    assert_non_null(cr_error_last());
    assert_int_equal(cr_error_last()->code, CR_ENOMEM);
    assert_int_equal(cr_error_last()->klass, CR_ERRCLASS_NOMEMORY);
    assert_int_equal(cr_str_puts(&s, "x"), CR_OK);
    assert_string_equal(cr_str_cstr(&s), "x");
    cr_str_dispose(&s);
}

static void test_str__out_of_memory_on_growth_resets_the_string(void **state)
{
    cr_str s;
    char block[60];

    (void)state;
    memset(block, 'b', sizeof(block));
    cr_str_init(&s, 0);
    /* the first allocation (64 bytes) succeeds, the growth to 128 fails */
    cr_alloc_fail_after(2);
    assert_int_equal(cr_str_put(&s, block, sizeof(block)), CR_OK);
    assert_int_equal(s.cap, 64);
    assert_int_equal(cr_str_put(&s, block, 3), CR_OK); /* 63 + NUL still fits */
    assert_int_equal(cr_str_printf(&s, "%s", "0123456789"), CR_ENOMEM);
    cr_alloc_fail_after(0);
    assert_reset(&s);
    cr_str_dispose(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_str__new_string_is_empty),
        cmocka_unit_test(test_str__put_puts_putc_printf),
        cmocka_unit_test(test_str__grows_by_doubling),
        cmocka_unit_test(test_str__printf_longer_than_the_first_buffer),
        cmocka_unit_test(test_str__clear_keeps_the_buffer),
        cmocka_unit_test(test_str__max_bound_exact_fit_is_allowed),
        cmocka_unit_test(test_str__max_bound_failure_resets_the_string),
        cmocka_unit_test(test_str__detach_hands_over_the_buffer),
        cmocka_unit_test(test_str__detach_of_an_empty_string_is_empty_text),
        cmocka_unit_test_teardown(test_str__out_of_memory_on_first_append, teardown_alloc),
        cmocka_unit_test_teardown(test_str__out_of_memory_on_growth_resets_the_string,
                                  teardown_alloc),
    };

    return cmocka_run_group_tests_name("util.str", tests, NULL, NULL);
}
