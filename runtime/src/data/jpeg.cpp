#include "jpeg.h"

// jpeglib.h needs FILE and size_t declared first.
#include <csetjmp>
#include <cstdio>

#include <jpeglib.h>

namespace ferc::data {
namespace {

// A face image of FER2013 is 48x48; anything beyond this is not one, and would exhaust memory.
constexpr uint64_t kMaxPixels = 100'000'000;

struct ErrorManager {
  jpeg_error_mgr pub;  // first, so libjpeg's pointer to it is a pointer to the whole
  std::jmp_buf jump;
  char fatal[JMSG_LENGTH_MAX] = "";
  char warning[JMSG_LENGTH_MAX] = "";
};

ErrorManager& manager(j_common_ptr cinfo) {
  return *reinterpret_cast<ErrorManager*>(cinfo->err);
}

[[noreturn]] void on_fatal(j_common_ptr cinfo) {
  (*cinfo->err->format_message)(cinfo, manager(cinfo).fatal);
  std::longjmp(manager(cinfo).jump, 1);
}

// Level -1 is a warning about the data; levels 0 and up are trace messages, which are dropped.
void on_message(j_common_ptr cinfo, int level) {
  if (level >= 0) return;
  ErrorManager& m = manager(cinfo);
  if (m.warning[0] == '\0') (*cinfo->err->format_message)(cinfo, m.warning);
  cinfo->err->num_warnings++;
}

}  // namespace

JpegResult decode_jpeg_gray(std::span<const uint8_t> bytes, cv::Mat& gray, std::string& why) {
  jpeg_decompress_struct cinfo;
  ErrorManager err;
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = on_fatal;
  err.pub.emit_message = on_message;
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&cinfo);
    why = std::string("libjpeg: ") + err.fatal;
    return JpegResult::Damaged;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, bytes.data(), static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&cinfo, TRUE);
  if (cinfo.num_components == 4) {
    jpeg_destroy_decompress(&cinfo);
    return JpegResult::Fallback;
  }
  cinfo.out_color_space = JCS_GRAYSCALE;
  jpeg_start_decompress(&cinfo);
  if (uint64_t{cinfo.output_width} * cinfo.output_height > kMaxPixels) {
    why = "is " + std::to_string(cinfo.output_width) + "x" + std::to_string(cinfo.output_height) +
          " pixels, far too large for a face image";
    jpeg_destroy_decompress(&cinfo);
    return JpegResult::Damaged;
  }
  gray.create(static_cast<int>(cinfo.output_height), static_cast<int>(cinfo.output_width), CV_8U);
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = gray.ptr<uint8_t>(static_cast<int>(cinfo.output_scanline));
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  if (err.warning[0] != '\0') {
    why = std::string("libjpeg: ") + err.warning;
    return JpegResult::Damaged;
  }
  return JpegResult::Ok;
}

}  // namespace ferc::data
