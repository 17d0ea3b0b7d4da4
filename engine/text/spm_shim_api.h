/* C API of libkgwb_spm, the only binary that links sentencepiece.
 *
 * Why a shim: Debian's libsentencepiece embeds and exports protobuf-lite 3.14 while libtorch
 * needs protobuf 3.21; linking both into one binary crashes before main(). The engine loads
 * this library into a link-map namespace of its own (dlmopen(LM_ID_NEWLM)), falling back to
 * dlopen(RTLD_DEEPBIND), so sentencepiece resolves protobuf inside its own scope and never
 * sees libtorch's symbols (and vice versa). The shim has its own C and C++ runtimes there:
 * nothing allocated on one side is freed on the other, and no C++ type crosses this API.
 * It is built without sanitizer instrumentation, so sanitized programs can load it.
 *
 * Contract: functions never throw; failures return negative values / NULL and write a
 * NUL-terminated message into err (errlen bytes). Buffer-filling functions return the size
 * needed; if that exceeds the capacity the caller retries with a larger buffer.
 */
#ifndef KGWB_SPM_SHIM_API_H
#define KGWB_SPM_SHIM_API_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KGWB_SPM_ABI_VERSION 1

typedef struct kgwb_spm kgwb_spm;

int kgwb_spm_abi_version(void);
/* Trains a model on a UTF-8 text file (one sentence per line); writes <prefix>.model. */
int kgwb_spm_train(const char* input_path, const char* model_prefix, int vocab_size,
                   const char* model_type, char* err, size_t errlen);
kgwb_spm* kgwb_spm_load(const char* model_bytes, size_t len, char* err, size_t errlen);
void kgwb_spm_free(kgwb_spm* p);
int kgwb_spm_vocab_size(const kgwb_spm* p);
long kgwb_spm_encode(const kgwb_spm* p, const char* text, size_t len, int* ids, size_t cap);
long kgwb_spm_decode(const kgwb_spm* p, const int* ids, size_t n, char* out, size_t cap);
long kgwb_spm_id_to_piece(const kgwb_spm* p, int id, char* out, size_t cap);
int kgwb_spm_piece_to_id(const kgwb_spm* p, const char* piece, size_t len);

#ifdef __cplusplus
}
#endif

#endif
