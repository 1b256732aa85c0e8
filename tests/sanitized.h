/* SPDX-License-Identifier: MIT */
/* sanitized.h — SANITIZED is 1 in an ASan or TSan build of the tests (which change timing and abort on huge allocations). */
#ifndef MW_TESTS_SANITIZED_H
#define MW_TESTS_SANITIZED_H

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

#endif /* MW_TESTS_SANITIZED_H */
