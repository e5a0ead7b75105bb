// An alternate stack for signal handlers.
#pragma once

namespace ferc {

/// Gives the calling thread an alternate signal stack (once; it lives as long as the process).
/// Handlers installed with SA_ONSTACK then run there: with the signal frame on the interrupted
/// stack, a stop that landed inside a oneDNN kernel now and then corrupted the heap.
void use_signal_stack();

}  // namespace ferc
