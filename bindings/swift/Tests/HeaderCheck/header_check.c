/*
 * Checks the generated C header RekindleFFI.h where no Swift toolchain exists.
 *
 *   cc -fsyntax-only -I Sources/RekindleFFI/include Tests/HeaderCheck/header_check.c
 *       the header compiles as C, with these declarations' types;
 *   cc ... header_check.c -L <dir of librekindle> -lrekindle && ./a.out
 *       the library exports what the header declares, and calls through the
 *       C ABI that the Swift code uses work (including a typed error).
 *
 * Apple's clang knows the nullability qualifiers the header uses; other C
 * compilers get them defined away.
 */
#if !defined(__clang__)
#define _Nullable
#define _Nonnull
#endif

#include <stdio.h>
#include <string.h>

#include "RekindleFFI.h"

/* The calls the Swift code makes, with the types it expects. */
static uint32_t (*const contract_version)(void) = ffi_rekindle_uniffi_contract_version;
static uint64_t (*const engine_new)(RustCallStatus *_Nonnull) = uniffi_rekindle_fn_constructor_engine_new;
static uint64_t (*const engine_from_json)(RustBuffer, RustCallStatus *_Nonnull) =
    uniffi_rekindle_fn_constructor_engine_from_json;
static uint64_t (*const engine_clone)(uint64_t, RustCallStatus *_Nonnull) = uniffi_rekindle_fn_clone_engine;
static void (*const engine_free)(uint64_t, RustCallStatus *_Nonnull) = uniffi_rekindle_fn_free_engine;
static RustBuffer (*const engine_info)(uint64_t, RustCallStatus *_Nonnull) =
    uniffi_rekindle_fn_method_engine_info;
static RustBuffer (*const engine_assess)(uint64_t, RustBuffer, RustCallStatus *_Nonnull) =
    uniffi_rekindle_fn_method_engine_assess;
static RustBuffer (*const engine_assess_json)(uint64_t, RustBuffer, RustCallStatus *_Nonnull) =
    uniffi_rekindle_fn_method_engine_assess_json;
static RustBuffer (*const buffer_from_bytes)(ForeignBytes, RustCallStatus *_Nonnull) =
    ffi_rekindle_rustbuffer_from_bytes;
static void (*const buffer_free)(RustBuffer, RustCallStatus *_Nonnull) = ffi_rekindle_rustbuffer_free;

/* UniFFI's call status codes. */
enum { CALL_SUCCESS = 0, CALL_ERROR = 1 };

static RustBuffer string_buffer(const char *text) {
    RustCallStatus status = {0};
    ForeignBytes bytes = {(int32_t)strlen(text), (const uint8_t *)text};
    return buffer_from_bytes(bytes, &status);
}

int main(void) {
    RustCallStatus status = {0};
    uint32_t contract = contract_version();

    uint64_t engine = engine_new(&status);
    if (status.code != CALL_SUCCESS) {
        fprintf(stderr, "Engine() failed with status %d\n", status.code);
        return 1;
    }
    RustBuffer info = engine_info(engine_clone(engine, &status), &status);
    if (status.code != CALL_SUCCESS || info.len == 0) {
        fprintf(stderr, "info() failed with status %d\n", status.code);
        return 1;
    }
    buffer_free(info, &status);

    /* Bad answers JSON: a typed error (status 1 with the serialized error), not a crash. */
    RustBuffer result = engine_assess_json(engine_clone(engine, &status), string_buffer("{\"answers\": ["), &status);
    int assess_status = status.code;
    if (assess_status != CALL_ERROR || status.errorBuf.len == 0) {
        fprintf(stderr, "assess_json(bad) gave status %d\n", assess_status);
        return 1;
    }
    buffer_free(status.errorBuf, &status);
    (void)result;
    engine_free(engine, &status);

    /* A pack that is not JSON: the same. */
    RustCallStatus pack_status = {0};
    (void)engine_from_json(string_buffer("{ not json"), &pack_status);
    if (pack_status.code != CALL_ERROR || pack_status.errorBuf.len == 0) {
        fprintf(stderr, "Engine.fromJson(bad) gave status %d\n", pack_status.code);
        return 1;
    }
    buffer_free(pack_status.errorBuf, &status);

    (void)engine_assess;
    printf("header check: contract version %u, info %llu bytes, bad answers and bad pack give error status %d\n",
           contract, (unsigned long long)info.len, CALL_ERROR);
    return 0;
}
