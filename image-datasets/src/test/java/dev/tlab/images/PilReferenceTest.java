package dev.tlab.images;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tlab.datafiles.Checksums;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every colour mode decodes to exactly PIL's {@code convert("RGB")}: each file {@link TestImages#pilVariants()} makes
 * is decoded here and its RGB bytes compared, by sha256, with what PIL 9.4 (Debian 12's python3-pil) made of the same
 * bytes. The reference was made by {@code src/test/python/pil_reference.py} on the files {@link TestImages#main}
 * writes; the test first checks that it generated those very bytes again (a changed generator must make the reference
 * anew).
 */
class PilReferenceTest {

    record Reference(String fileSha256, String pilMode, int width, int height, String rgbSha256) {}

    // Made with PIL 9.4.0 by src/test/python/pil_reference.py.
    static final Map<String, Reference> PIL = Map.ofEntries(
            Map.entry(
                    "animated.gif",
                    new Reference(
                            "19a9c531b3df0f8a23712ac3dafeb4697bf210394193ae78af04e88879be64cd",
                            "P",
                            23,
                            17,
                            "9ebf7c269719462f81109b895baac0252d8cb1ae15229247407547628cbb6362")),
            Map.entry(
                    "cmyk.jpg",
                    new Reference(
                            "3c5c405d8f87110331db77285c7773fccfc152e7ed4974a9e2755a87b0be5a4c",
                            "CMYK",
                            23,
                            17,
                            "ff32f64a7cc8a00770f8b60e1d81dd54b49571c28d96e554dcb3f98ad7803b29")),
            Map.entry(
                    "gray-alpha16.png",
                    new Reference(
                            "6eff10ae0859d820fa49629414cceec1c437fcb8a188275d6feeba2c1a6389f6",
                            "RGBA",
                            23,
                            17,
                            "ce4456e3467ca80cea54e61fbd0128c05312d486bb095e0198c0e4496ee7d6e3")),
            Map.entry(
                    "gray-alpha8.png",
                    new Reference(
                            "ec89a17e24d2f5348db800c1dd944532dfb7687f98170d47bfcb0388ccf9de17",
                            "LA",
                            23,
                            17,
                            "0622c8029db0a2d274974590789a4ea54fa9f5a7a5217d687e740dedde3abad4")),
            Map.entry(
                    "gray.jpg",
                    new Reference(
                            "001ce7820fed09ddd5cdf212a20ca15278c49ad988ba777db777df68569288c1",
                            "L",
                            23,
                            17,
                            "f41787536ac27a6aeaf622bc43d07f488332c1658404c20c46144861b2100e6b")),
            Map.entry(
                    "gray1.png",
                    new Reference(
                            "7d1e085aa32f040b9432e2851cb9dc29405eba326f1f5a41ee7fd074f9e03a97",
                            "1",
                            23,
                            17,
                            "8c0092fc3042459407e88eee021a184b47b3c6b502d777d4121bd5f4adeb977c")),
            Map.entry(
                    "gray16-low.png",
                    new Reference(
                            "cf1ce1e0536fa783fafcd5d562b8260c8ab82cd2fd0d285b4191eb691f4866c6",
                            "I",
                            23,
                            17,
                            "0622c8029db0a2d274974590789a4ea54fa9f5a7a5217d687e740dedde3abad4")),
            Map.entry(
                    "gray16.png",
                    new Reference(
                            "7b10e664f2ca2dbb511b9393dd22649d6f57548ffbe1800373fb9e2b9e17db67",
                            "I",
                            23,
                            17,
                            "ff9d0ab0b82d604295b4328ea27b140f9c2a65d1e26c27e80c6776a2a27164ca")),
            Map.entry(
                    "gray2.png",
                    new Reference(
                            "24b176ec8dd877f0cd15935c78f8fe2a9bf7f6625edb193cd5a4954bdc7de079",
                            "L",
                            23,
                            17,
                            "c6473bb21c8408bc92e8e41dd0e8ddba50b287786312c5e5f5b1bdc3849e094c")),
            Map.entry(
                    "gray4.png",
                    new Reference(
                            "9f26ce8b69a7abcb59261317ada8f2285872a5891cf1feca1de1e1b4c654f4ed",
                            "L",
                            23,
                            17,
                            "f99e98b9d493a2527e4752081a304993a9d0df204d38e12ab45df159de91b162")),
            Map.entry(
                    "gray8.png",
                    new Reference(
                            "9cd9349767a7f8894e78a1915804e915662f6b7fd1381c002c8bcf260e1d2549",
                            "L",
                            23,
                            17,
                            "0622c8029db0a2d274974590789a4ea54fa9f5a7a5217d687e740dedde3abad4")),
            Map.entry(
                    "palette.bmp",
                    new Reference(
                            "c550f388cc4a31589796a84522a3b0a049d2b667eb6e1a7442ce7a225c6e3b5e",
                            "P",
                            23,
                            17,
                            "ac0c40dce127eb5cab9ecf139745b22d81a2487e8ffd8198b72e490d3b31aaaf")),
            Map.entry(
                    "palette.gif",
                    new Reference(
                            "691c5e52f1566dc33aa439c84b4e263fd439ff484b3ac0a4b9c7a30e47e12d5e",
                            "P",
                            23,
                            17,
                            "9ebf7c269719462f81109b895baac0252d8cb1ae15229247407547628cbb6362")),
            Map.entry(
                    "palette4.png",
                    new Reference(
                            "540ff0a8e1ef8043c512de7ebd7099a7a7bfd2d33551afd43a06980097eeb760",
                            "P",
                            23,
                            17,
                            "bbe9f9c707153cf05def3e0e76ad406f12d5746709d70eb4dc9b473385501fc4")),
            Map.entry(
                    "palette8.png",
                    new Reference(
                            "10741940441ee7ea1e6c8839a84212ea928bede08c03724e41c59f48222c9f30",
                            "P",
                            23,
                            17,
                            "b63b692726063fd3f38ea13d69a1f0d6e9cca2654dcd6673d876c3c517f5df48")),
            Map.entry(
                    "rgb-icc.jpg",
                    new Reference(
                            "637251f730290d5a20ebccd1ab0762b87b6c58a8b3569ba8b508227d8e50c19b",
                            "RGB",
                            23,
                            17,
                            "343009410f7adbc2d03964c96f3c1d4e79b48760467eb6b45b0f940c0417c2ff")),
            Map.entry(
                    "rgb.bmp",
                    new Reference(
                            "13f07bfb0b38c333240403f7b614b2f8948c7ed998363d76f0533d6c44bef8b7",
                            "RGB",
                            23,
                            17,
                            "b2793ff475624afb85e443e2ee7ab06981028243ddc3d61527c62c15edd7a721")),
            Map.entry(
                    "rgb.jpg",
                    new Reference(
                            "f30289b03ffdefa89bf66044d24c5067f4bea36afd97d2c993fc59827e70bc01",
                            "RGB",
                            23,
                            17,
                            "343009410f7adbc2d03964c96f3c1d4e79b48760467eb6b45b0f940c0417c2ff")),
            Map.entry(
                    "rgb16.png",
                    new Reference(
                            "074151817727dba9d80dae700d2ae4897a3904295faf2d1aecec7a9e80316a56",
                            "RGB",
                            23,
                            17,
                            "8ae90269a6032fa95cef727de05b211060ee5eb68b7fb2dfb930bd22bc1845af")),
            Map.entry(
                    "rgb565.bmp",
                    new Reference(
                            "67dd5e65fdb6f98690c349445210eb7a2177d48884dcb938c6c08c81fad90d87",
                            "RGB",
                            23,
                            17,
                            "bfeff4436ba10fff2a4ca3f80fd53235a58188946beb403709097505c54cf304")),
            Map.entry(
                    "rgb8.png",
                    new Reference(
                            "30936f1069d45d8015936e6eda4a9f51845ddb98a32be5192a3be74ace51be4c",
                            "RGB",
                            23,
                            17,
                            "3d38df3af01edcccd2f28f97af5b0f63639a6d17b739783d7316a8bad32143d3")),
            Map.entry(
                    "rgba16.png",
                    new Reference(
                            "c6c441e482abdbb2db0db73d0c15eee0106cb561788a688cd59c1067ea37755a",
                            "RGBA",
                            23,
                            17,
                            "8ae90269a6032fa95cef727de05b211060ee5eb68b7fb2dfb930bd22bc1845af")),
            Map.entry(
                    "rgba8.png",
                    new Reference(
                            "a1a4f22cecdd6fe1cb95c87c55efe956f024c1a61d0eebc5a8f9f033e798d579",
                            "RGBA",
                            23,
                            17,
                            "3d38df3af01edcccd2f28f97af5b0f63639a6d17b739783d7316a8bad32143d3")),
            Map.entry(
                    "ycck.jpg",
                    new Reference(
                            "257e46daa23b829050522e2e51027a14760964b1f62aa3715342be1d8c7a91a6",
                            "CMYK",
                            23,
                            17,
                            "8ef481f0ae380eede2638a8c7af31fab48c70c337acb6ce06fba1566193d152f")),
            Map.entry(
                    "offset.gif",
                    new Reference(
                            "552e88bc31805810b0e84b78377435ab042c39f27d62fe17c6d6b164e7d5656a",
                            "P",
                            30,
                            20,
                            "cc47e8d812ec25f000ad29b34ef8960dae64c752f85735b8cdbaed7ceed688b2")),
            Map.entry(
                    "offset-transparent.gif",
                    new Reference(
                            "f64f92d6b76f05566ed08274aab420edd291eef05493121a809cfe765e73eac2",
                            "P",
                            30,
                            20,
                            "416d8411078e30d9b31d587f838ac3d7d69073c85b26d9759f739bf009ef7ebe")),
            Map.entry(
                    "lossless.webp",
                    new Reference(
                            "d7710c3e8f37ad0d5843a7b5b238b4e8fb8f4065ca36f2ca186f0c8f67bf7278",
                            "RGB",
                            23,
                            17,
                            "66304cccdf4c0cf8d19c897c9e178491007b546b7b5c815adfbc5ac24248b053")));

    static Iterable<String> variants() {
        return TestImages.pilVariants().keySet();
    }

    @ParameterizedTest
    @MethodSource("variants")
    void decodesAsPilConvertRgb(String name) throws Exception {
        byte[] file = TestImages.pilVariants().get(name);
        Reference reference = PIL.get(name);
        assertEquals(reference.fileSha256(), Checksums.sha256Hex(file), name + ": not the bytes PIL was run on");
        DecodedImage decoded = new ImageDecoder(1_000_000).decode(file);
        assertEquals(reference.width(), decoded.image().width(), name);
        assertEquals(reference.height(), decoded.image().height(), name);
        assertEquals(
                reference.rgbSha256(),
                Checksums.sha256Hex(decoded.image().rgb()),
                name + " (PIL mode " + reference.pilMode() + ")");
    }
}
