"""Every tiny-tier verdict as measured: test id -> verdict, stricter reading, expected verdict, numbers.

A case whose verdict differs from the paper's is a strict xfail (raises=ClaimNotReproduced,
bench/grid.py `param`); `Verdict.check` fails any case whose verdict or stricter reading
differs from the one recorded here, naming both with their numbers. Written by
`python bench/record_known.py` from the verdicts of a `pytest bench --update-baselines`
session; reviewed like code.
"""

KNOWN = {'test_compute_saved[real-smollm2-135m]': {'expected': 'reproduced',
                                           'numbers': 'selected 3-10-12-19-20-21-22-23-24-25-26-27-28-29-30; '
                                                      'first_n 16-17-18-19-20-21-22-23-24-25-26-27-28-29-30; '
                                                      'backward_saved_selected 0.2881; '
                                                      'backward_saved_first_n 0.5085; '
                                                      'selected_trainable_frac 0.5; selected_backward_frac '
                                                      '0.7261; first_n_trainable_frac 0.5; '
                                                      'first_n_backward_frac 0.4997; mde 0',
                                           'strict': '',
                                           'verdict': 'saves less'},
 'test_compute_saved[tiny-tiny-gpt2-64]': {'expected': 'reproduced',
                                           'numbers': 'selected 1-2-4; first_n 4-5-6; '
                                                      'backward_saved_selected 0.2727; '
                                                      'backward_saved_first_n 0.5455; '
                                                      'selected_trainable_frac 0.5; selected_backward_frac '
                                                      '0.9041; first_n_trainable_frac 0.5; '
                                                      'first_n_backward_frac 0.6678; mde 0',
                                           'strict': '',
                                           'verdict': 'saves less'},
 'test_compute_saved[tiny-tiny-llama-64]': {'expected': 'reproduced',
                                            'numbers': 'selected 1-4-6; first_n 4-5-6; '
                                                       'backward_saved_selected 0.2727; '
                                                       'backward_saved_first_n 0.5455; '
                                                       'selected_trainable_frac 0.5; selected_backward_frac '
                                                       '0.8419; first_n_trainable_frac 0.5; '
                                                       'first_n_backward_frac 0.6154; mde 0',
                                            'strict': '',
                                            'verdict': 'saves less'},
 'test_control_comparable[real-minilm-cls-adamw]': {'expected': 'comparable',
                                                    'numbers': 'margin_frac 0.1; control_strength 0.05286; '
                                                               'lost_share +0.0218 [+0.0137, +0.0298]; mde '
                                                               '0.01006; p 0.007341; heldout_before 1.606; '
                                                               'heldout_std 1.587; heldout_ctrl 1.588; '
                                                               'final_loss_ctrl_minus_std +0.0007 [+0.0006, '
                                                               '+0.0008]; standard_slope +0.0165 [+0.0131, '
                                                               '+0.0198]; steepness_change +0.0005 [+0.0001, '
                                                               '+0.0008]; steepness_delta 0.004116; '
                                                               'width_change +0.0000 [+0.0000, +0.0000]; '
                                                               'seeds 3; accuracy_min 0.3125',
                                                    'strict': 'not trained (held-out accuracy below 0.6)',
                                                    'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_control_comparable[real-minilm-cls-sgd]': {'expected': 'comparable',
                                                  'numbers': 'margin_frac 0.1; control_strength 0.3982; '
                                                             'lost_share +0.1305 [-0.0432, +0.3042]; mde '
                                                             '0.2165; p 0.0838; heldout_before 1.606; '
                                                             'heldout_std 1.578; heldout_ctrl 1.581; '
                                                             'final_loss_ctrl_minus_std +0.0015 [+0.0010, '
                                                             '+0.0021]; standard_slope +0.0088 [+0.0049, '
                                                             '+0.0127]; steepness_change +0.0011 [-0.0001, '
                                                             '+0.0022]; steepness_delta 0.0022; width_change '
                                                             '+0.0000 [+0.0000, +0.0000]; seeds 3; '
                                                             'accuracy_min 0.1875',
                                                  'strict': 'not trained (held-out accuracy below 0.6)',
                                                  'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_control_comparable[real-minilm-mlm-adamw]': {'expected': 'comparable',
                                                    'numbers': 'margin_frac 0.1; control_strength 0.06908; '
                                                               'lost_share +0.0064 [+0.0027, +0.0101]; mde '
                                                               '0.004644; p 0.01775; heldout_before 10.67; '
                                                               'heldout_std 8.218; heldout_ctrl 8.234; '
                                                               'final_loss_ctrl_minus_std +0.0114 [+0.0058, '
                                                               '+0.0171]; standard_slope +0.1549 [+0.1153, '
                                                               '+0.1944]; steepness_change +0.0031 [+0.0009, '
                                                               '+0.0054]; steepness_delta 0.03872; '
                                                               'width_change +0.0000 [+0.0000, +0.0000]; '
                                                               'seeds 3',
                                                    'strict': 'control inert',
                                                    'verdict': 'control inert'},
 'test_control_comparable[real-minilm-mlm-sgd]': {'expected': 'comparable',
                                                  'numbers': 'margin_frac 0.1; control_strength 0.2336; '
                                                             'lost_share +0.0036 [+0.0003, +0.0069]; mde '
                                                             '0.004141; p 0.04307; heldout_before 10.67; '
                                                             'heldout_std 7.858; heldout_ctrl 7.867; '
                                                             'final_loss_ctrl_minus_std +0.0107 [-0.0025, '
                                                             '+0.0239]; standard_slope +0.2343 [+0.1781, '
                                                             '+0.2906]; steepness_change +0.0057 [-0.0008, '
                                                             '+0.0122]; steepness_delta 0.05858; '
                                                             'width_change +0.0000 [+0.0000, +0.0000]; seeds '
                                                             '3',
                                                  'strict': 'axes stable',
                                                  'verdict': 'comparable'},
 'test_control_comparable[real-smollm2-135m-clm-adamw]': {'expected': 'comparable',
                                                          'numbers': 'margin_frac 0.1; control_strength '
                                                                     '0.01657; lost_share +0.0005 [-0.0030, '
                                                                     '+0.0040]; mde 0.004353; p 0.6263; '
                                                                     'heldout_before 3.896; heldout_std '
                                                                     '3.669; heldout_ctrl 3.67; '
                                                                     'final_loss_ctrl_minus_std +0.0002 '
                                                                     '[-0.0005, +0.0009]; standard_slope '
                                                                     '+0.0367 [+0.0277, +0.0456]; '
                                                                     'steepness_change -0.0001 [-0.0002, '
                                                                     '+0.0000]; steepness_delta 0.009165; '
                                                                     'width_change +0.0000 [+0.0000, '
                                                                     '+0.0000]; seeds 3',
                                                          'strict': 'control inert',
                                                          'verdict': 'control inert'},
 'test_control_comparable[real-smollm2-135m-clm-sgd]': {'expected': 'comparable',
                                                        'numbers': 'margin_frac 0.1; control_strength 0.338; '
                                                                   'lost_share +0.0301 [-0.0371, +0.0974]; '
                                                                   'mde 0.08381; p 0.1935; heldout_before '
                                                                   '3.896; heldout_std 3.651; heldout_ctrl '
                                                                   '3.659; final_loss_ctrl_minus_std +0.0114 '
                                                                   '[+0.0072, +0.0156]; standard_slope '
                                                                   '+0.0226 [+0.0184, +0.0269]; '
                                                                   'steepness_change -0.0037 [-0.0047, '
                                                                   '-0.0027]; steepness_delta 0.005662; '
                                                                   'width_change -4.0000 [-6.4841, -1.5159]; '
                                                                   'seeds 3',
                                                        'strict': 'width moved',
                                                        'verdict': 'comparable'},
 'test_control_comparable[tiny-tiny-bert-64-cls-adamw]': {'expected': 'comparable',
                                                          'numbers': 'margin_frac 0.1; control_strength '
                                                                     '0.02443; lost_share -0.0010 [-0.0033, '
                                                                     '+0.0012]; mde 0.002814; p 0.1911; '
                                                                     'heldout_before 1.626; heldout_std '
                                                                     '1.608; heldout_ctrl 1.608; '
                                                                     'final_loss_ctrl_minus_std -0.0000 '
                                                                     '[-0.0001, +0.0001]; standard_slope '
                                                                     '+0.0064 [-0.0001, +0.0128]; '
                                                                     'steepness_change -0.0000 [-0.0001, '
                                                                     '+0.0000]; steepness_delta 0.001592; '
                                                                     'width_change +0.0000 [+0.0000, '
                                                                     '+0.0000]; seeds 3; accuracy_min 0.1875',
                                                          'strict': 'not trained (held-out accuracy below '
                                                                    '0.6)',
                                                          'verdict': 'not trained (held-out accuracy below '
                                                                     '0.6)'},
 'test_control_comparable[tiny-tiny-bert-64-cls-sgd]': {'expected': 'comparable',
                                                        'numbers': 'margin_frac 0.1; control_strength '
                                                                   '0.1271; lost_share +0.0006 [-0.0006, '
                                                                   '+0.0018]; mde 0.001524; p 0.1782; '
                                                                   'heldout_before 1.626; heldout_std 1.61; '
                                                                   'heldout_ctrl 1.61; '
                                                                   'final_loss_ctrl_minus_std +0.0000 '
                                                                   '[-0.0001, +0.0001]; standard_slope '
                                                                   '+0.0001 [-0.0000, +0.0002]; '
                                                                   'steepness_change +0.0000 [+0.0000, '
                                                                   '+0.0000]; steepness_delta 2.109e-05; '
                                                                   'width_change +0.0000 [+0.0000, +0.0000]; '
                                                                   'seeds 3; accuracy_min 0.09375',
                                                        'strict': 'not trained (held-out accuracy below 0.6)',
                                                        'verdict': 'not trained (held-out accuracy below '
                                                                   '0.6)'},
 'test_control_comparable[tiny-tiny-bert-64-mlm-adamw]': {'expected': 'comparable',
                                                          'numbers': 'margin_frac 0.1; control_strength '
                                                                     '0.01614; lost_share +0.0197 [-0.0860, '
                                                                     '+0.1253]; mde 0.1317; p 0.5072; '
                                                                     'heldout_before 6.419; heldout_std '
                                                                     '6.417; heldout_ctrl 6.417; '
                                                                     'final_loss_ctrl_minus_std +0.0000 '
                                                                     '[-0.0000, +0.0001]; standard_slope '
                                                                     '+0.0188 [+0.0152, +0.0225]; '
                                                                     'steepness_change +0.0000 [-0.0002, '
                                                                     '+0.0002]; steepness_delta 0.004709; '
                                                                     'width_change +0.0000 [+0.0000, '
                                                                     '+0.0000]; seeds 3',
                                                          'strict': 'control inert',
                                                          'verdict': 'control inert'},
 'test_control_comparable[tiny-tiny-bert-64-mlm-sgd]': {'expected': 'comparable',
                                                        'numbers': 'margin_frac 0.1; control_strength '
                                                                   '0.2013; heldout_before 6.419; '
                                                                   'heldout_std 6.423; heldout_ctrl 6.423; '
                                                                   'final_loss_ctrl_minus_std -0.0001 '
                                                                   '[-0.0006, +0.0004]; standard_slope '
                                                                   '-0.0017 [-0.0039, +0.0005]; '
                                                                   'steepness_change +0.0003 [+0.0002, '
                                                                   '+0.0005]; steepness_delta 0.0004163; '
                                                                   'width_change +0.0000 [+0.0000, +0.0000]; '
                                                                   'seeds 3',
                                                        'strict': 'reference did not improve',
                                                        'verdict': 'reference did not improve'},
 'test_control_comparable[tiny-tiny-codegen-64-clm-adamw]': {'expected': 'comparable',
                                                             'numbers': 'margin_frac 0.1; control_strength '
                                                                        '0.07928; lost_share -0.0056 '
                                                                        '[-0.0232, +0.0120]; mde 0.02195; p '
                                                                        '0.3033; heldout_before 5.696; '
                                                                        'heldout_std 5.557; heldout_ctrl '
                                                                        '5.557; final_loss_ctrl_minus_std '
                                                                        '-0.0002 [-0.0011, +0.0007]; '
                                                                        'standard_slope +0.0158 [+0.0132, '
                                                                        '+0.0184]; steepness_change -0.0008 '
                                                                        '[-0.0011, -0.0005]; steepness_delta '
                                                                        '0.003954; width_change +0.0000 '
                                                                        '[+0.0000, +0.0000]; seeds 3',
                                                             'strict': 'control inert',
                                                             'verdict': 'control inert'},
 'test_control_comparable[tiny-tiny-codegen-64-clm-sgd]': {'expected': 'comparable',
                                                           'numbers': 'margin_frac 0.1; control_strength '
                                                                      '0.2533; lost_share +0.0039 [+0.0004, '
                                                                      '+0.0074]; mde 0.004401; p 0.04136; '
                                                                      'heldout_before 5.696; heldout_std '
                                                                      '5.494; heldout_ctrl 5.495; '
                                                                      'final_loss_ctrl_minus_std +0.0002 '
                                                                      '[-0.0002, +0.0006]; standard_slope '
                                                                      '+0.0039 [+0.0020, +0.0058]; '
                                                                      'steepness_change +0.0008 [+0.0006, '
                                                                      '+0.0010]; steepness_delta 0.0009704; '
                                                                      'width_change -1.0000 [-3.4841, '
                                                                      '+1.4841]; seeds 3',
                                                           'strict': 'inconclusive (underpowered: ~6 seeds)',
                                                           'verdict': 'comparable'},
 'test_control_comparable[tiny-tiny-codegen-64-cls-adamw]': {'expected': 'comparable',
                                                             'numbers': 'margin_frac 0.1; control_strength '
                                                                        '0.07052; lost_share +0.0494 '
                                                                        '[+0.0451, +0.0537]; mde 0.005367; p '
                                                                        '0.0004103; heldout_before 1.644; '
                                                                        'heldout_std 1.57; heldout_ctrl '
                                                                        '1.573; final_loss_ctrl_minus_std '
                                                                        '+0.0026 [-0.0014, +0.0065]; '
                                                                        'standard_slope +0.0353 [+0.0281, '
                                                                        '+0.0424]; steepness_change +0.0030 '
                                                                        '[+0.0011, +0.0048]; steepness_delta '
                                                                        '0.008813; width_change +0.6667 '
                                                                        '[-0.7676, +2.1009]; seeds 3; '
                                                                        'accuracy_min 0.2188',
                                                             'strict': 'not trained (held-out accuracy below '
                                                                       '0.6)',
                                                             'verdict': 'not trained (held-out accuracy '
                                                                        'below 0.6)'},
 'test_control_comparable[tiny-tiny-codegen-64-cls-sgd]': {'expected': 'comparable',
                                                           'numbers': 'margin_frac 0.1; control_strength '
                                                                      '0.3189; lost_share +0.0153 [-0.0269, '
                                                                      '+0.0575]; mde 0.05259; p 0.2587; '
                                                                      'heldout_before 1.644; heldout_std '
                                                                      '1.589; heldout_ctrl 1.59; '
                                                                      'final_loss_ctrl_minus_std +0.0013 '
                                                                      '[-0.0037, +0.0064]; standard_slope '
                                                                      '+0.0002 [-0.0000, +0.0004]; '
                                                                      'steepness_change -0.0000 [-0.0001, '
                                                                      '+0.0000]; steepness_delta 4.451e-05; '
                                                                      'width_change +0.0000 [+0.0000, '
                                                                      '+0.0000]; seeds 3; accuracy_min '
                                                                      '0.1875',
                                                           'strict': 'not trained (held-out accuracy below '
                                                                     '0.6)',
                                                           'verdict': 'not trained (held-out accuracy below '
                                                                      '0.6)'},
 'test_control_comparable[tiny-tiny-gpt2-64-clm-adamw]': {'expected': 'comparable',
                                                          'numbers': 'margin_frac 0.1; control_strength '
                                                                     '0.04234; lost_share -0.0037 [-0.0201, '
                                                                     '+0.0127]; mde 0.02046; p 0.431; '
                                                                     'heldout_before 5.902; heldout_std '
                                                                     '5.796; heldout_ctrl 5.796; '
                                                                     'final_loss_ctrl_minus_std +0.0002 '
                                                                     '[-0.0003, +0.0007]; standard_slope '
                                                                     '+0.0234 [+0.0163, +0.0305]; '
                                                                     'steepness_change -0.0006 [-0.0014, '
                                                                     '+0.0003]; steepness_delta 0.005855; '
                                                                     'width_change +0.6667 [-0.7676, '
                                                                     '+2.1009]; seeds 3',
                                                          'strict': 'control inert',
                                                          'verdict': 'control inert'},
 'test_control_comparable[tiny-tiny-gpt2-64-clm-sgd]': {'expected': 'comparable',
                                                        'numbers': 'margin_frac 0.1; control_strength '
                                                                   '0.6871; lost_share -0.2320 [-0.4667, '
                                                                   '+0.0028]; mde 0.2926; p 0.05112; '
                                                                   'heldout_before 5.902; heldout_std 5.778; '
                                                                   'heldout_ctrl 5.75; '
                                                                   'final_loss_ctrl_minus_std -0.0245 '
                                                                   '[-0.0411, -0.0078]; standard_slope '
                                                                   '+0.0082 [+0.0044, +0.0120]; '
                                                                   'steepness_change +0.0050 [+0.0028, '
                                                                   '+0.0073]; steepness_delta 0.002054; '
                                                                   'width_change -1.0000 [-1.0000, -1.0000]; '
                                                                   'seeds 3',
                                                        'strict': 'steepness and width moved',
                                                        'verdict': 'comparable'},
 'test_control_comparable[tiny-tiny-gpt2-64-cls-adamw]': {'expected': 'comparable',
                                                          'numbers': 'margin_frac 0.1; control_strength '
                                                                     '0.05635; lost_share +0.0267 [-0.0645, '
                                                                     '+0.1178]; mde 0.1136; p 0.3352; '
                                                                     'heldout_before 1.622; heldout_std '
                                                                     '1.576; heldout_ctrl 1.578; '
                                                                     'final_loss_ctrl_minus_std +0.0007 '
                                                                     '[-0.0040, +0.0055]; standard_slope '
                                                                     '+0.1392 [-0.0257, +0.3042]; '
                                                                     'steepness_change +0.0039 [-0.0132, '
                                                                     '+0.0210]; steepness_delta 0.03481; '
                                                                     'width_change +0.0000 [+0.0000, '
                                                                     '+0.0000]; seeds 3; accuracy_min 0.2031',
                                                          'strict': 'not trained (held-out accuracy below '
                                                                    '0.6)',
                                                          'verdict': 'not trained (held-out accuracy below '
                                                                     '0.6)'},
 'test_control_comparable[tiny-tiny-gpt2-64-cls-sgd]': {'expected': 'comparable',
                                                        'numbers': 'margin_frac 0.1; control_strength '
                                                                   '0.4277; heldout_before 1.622; '
                                                                   'heldout_std 1.611; heldout_ctrl 1.611; '
                                                                   'final_loss_ctrl_minus_std -0.0001 '
                                                                   '[-0.0014, +0.0013]; standard_slope '
                                                                   '+0.0000 [-0.0001, +0.0001]; '
                                                                   'steepness_change -0.0000 [-0.0001, '
                                                                   '+0.0000]; steepness_delta 1.064e-05; '
                                                                   'width_change +0.0000 [+0.0000, +0.0000]; '
                                                                   'seeds 3; accuracy_min 0.2031',
                                                        'strict': 'not trained (held-out accuracy below 0.6)',
                                                        'verdict': 'not trained (held-out accuracy below '
                                                                   '0.6)'},
 'test_control_comparable[tiny-tiny-gptj-64-clm-adamw]': {'expected': 'comparable',
                                                          'numbers': 'margin_frac 0.1; control_strength '
                                                                     '0.08328; lost_share -0.0014 [-0.0126, '
                                                                     '+0.0099]; mde 0.014; p 0.6503; '
                                                                     'heldout_before 5.724; heldout_std '
                                                                     '5.586; heldout_ctrl 5.586; '
                                                                     'final_loss_ctrl_minus_std -0.0002 '
                                                                     '[-0.0013, +0.0009]; standard_slope '
                                                                     '+0.0163 [+0.0154, +0.0172]; '
                                                                     'steepness_change -0.0007 [-0.0012, '
                                                                     '-0.0002]; steepness_delta 0.004072; '
                                                                     'width_change +0.0000 [+0.0000, '
                                                                     '+0.0000]; seeds 3',
                                                          'strict': 'control inert',
                                                          'verdict': 'control inert'},
 'test_control_comparable[tiny-tiny-gptj-64-clm-sgd]': {'expected': 'comparable',
                                                        'numbers': 'margin_frac 0.1; control_strength '
                                                                   '0.2819; lost_share +0.0012 [-0.0119, '
                                                                   '+0.0143]; mde 0.01634; p 0.7361; '
                                                                   'heldout_before 5.724; heldout_std 5.528; '
                                                                   'heldout_ctrl 5.528; '
                                                                   'final_loss_ctrl_minus_std +0.0000 '
                                                                   '[-0.0006, +0.0006]; standard_slope '
                                                                   '+0.0060 [+0.0033, +0.0086]; '
                                                                   'steepness_change +0.0004 [-0.0008, '
                                                                   '+0.0016]; steepness_delta 0.001488; '
                                                                   'width_change -1.0000 [-3.4841, +1.4841]; '
                                                                   'seeds 3',
                                                        'strict': 'inconclusive (underpowered: ~4 seeds)',
                                                        'verdict': 'comparable'},
 'test_control_comparable[tiny-tiny-gptj-64-cls-adamw]': {'expected': 'comparable',
                                                          'numbers': 'margin_frac 0.1; control_strength '
                                                                     '0.07833; lost_share +0.0463 [+0.0297, '
                                                                     '+0.0628]; mde 0.02061; p 0.006827; '
                                                                     'heldout_before 1.641; heldout_std '
                                                                     '1.566; heldout_ctrl 1.569; '
                                                                     'final_loss_ctrl_minus_std +0.0028 '
                                                                     '[-0.0009, +0.0065]; standard_slope '
                                                                     '+0.0401 [+0.0169, +0.0634]; '
                                                                     'steepness_change +0.0039 [-0.0033, '
                                                                     '+0.0110]; steepness_delta 0.01003; '
                                                                     'width_change +0.3333 [-1.1009, '
                                                                     '+1.7676]; seeds 3; accuracy_min 0.1875',
                                                          'strict': 'not trained (held-out accuracy below '
                                                                    '0.6)',
                                                          'verdict': 'not trained (held-out accuracy below '
                                                                     '0.6)'},
 'test_control_comparable[tiny-tiny-gptj-64-cls-sgd]': {'expected': 'comparable',
                                                        'numbers': 'margin_frac 0.1; control_strength '
                                                                   '0.3223; lost_share -0.0412 [-0.0841, '
                                                                   '+0.0018]; mde 0.05351; p 0.05402; '
                                                                   'heldout_before 1.641; heldout_std 1.563; '
                                                                   'heldout_ctrl 1.56; '
                                                                   'final_loss_ctrl_minus_std -0.0014 '
                                                                   '[-0.0080, +0.0052]; standard_slope '
                                                                   '+0.0017 [-0.0012, +0.0046]; '
                                                                   'steepness_change -0.0002 [-0.0004, '
                                                                   '+0.0001]; steepness_delta 0.0004281; '
                                                                   'width_change +0.0000 [+0.0000, +0.0000]; '
                                                                   'seeds 3; accuracy_min 0.1875',
                                                        'strict': 'not trained (held-out accuracy below 0.6)',
                                                        'verdict': 'not trained (held-out accuracy below '
                                                                   '0.6)'},
 'test_control_comparable[tiny-tiny-llama-64-clm-adamw]': {'expected': 'comparable',
                                                           'numbers': 'margin_frac 0.1; control_strength '
                                                                      '0.04109; lost_share +0.0026 [-0.0079, '
                                                                      '+0.0130]; mde 0.013; p 0.402; '
                                                                      'heldout_before 5.715; heldout_std '
                                                                      '5.601; heldout_ctrl 5.601; '
                                                                      'final_loss_ctrl_minus_std +0.0001 '
                                                                      '[-0.0002, +0.0004]; standard_slope '
                                                                      '+0.0212 [+0.0182, +0.0242]; '
                                                                      'steepness_change -0.0004 [-0.0009, '
                                                                      '+0.0001]; steepness_delta 0.005297; '
                                                                      'width_change +0.0000 [+0.0000, '
                                                                      '+0.0000]; seeds 3',
                                                           'strict': 'control inert',
                                                           'verdict': 'control inert'},
 'test_control_comparable[tiny-tiny-llama-64-clm-sgd]': {'expected': 'comparable',
                                                         'numbers': 'margin_frac 0.1; control_strength '
                                                                    '0.4037; lost_share -0.0185 [-0.0935, '
                                                                    '+0.0566]; mde 0.09356; p 0.4003; '
                                                                    'heldout_before 5.715; heldout_std '
                                                                    '5.538; heldout_ctrl 5.535; '
                                                                    'final_loss_ctrl_minus_std -0.0054 '
                                                                    '[-0.0092, -0.0015]; standard_slope '
                                                                    '+0.0086 [+0.0003, +0.0168]; '
                                                                    'steepness_change +0.0079 [+0.0025, '
                                                                    '+0.0133]; steepness_delta 0.002144; '
                                                                    'width_change -2.0000 [-2.0000, '
                                                                    '-2.0000]; seeds 3',
                                                         'strict': 'steepness and width moved',
                                                         'verdict': 'comparable'},
 'test_control_comparable[tiny-tiny-llama-64-cls-adamw]': {'expected': 'comparable',
                                                           'numbers': 'margin_frac 0.1; control_strength '
                                                                      '0.061; lost_share -0.0078 [-0.0230, '
                                                                      '+0.0074]; mde 0.01896; p 0.1574; '
                                                                      'heldout_before 1.634; heldout_std '
                                                                      '1.552; heldout_ctrl 1.551; '
                                                                      'final_loss_ctrl_minus_std -0.0004 '
                                                                      '[-0.0024, +0.0016]; standard_slope '
                                                                      '+0.1283 [-0.0103, +0.2669]; '
                                                                      'steepness_change -0.0003 [-0.0012, '
                                                                      '+0.0005]; steepness_delta 0.03208; '
                                                                      'width_change +0.0000 [+0.0000, '
                                                                      '+0.0000]; seeds 3; accuracy_min '
                                                                      '0.2188',
                                                           'strict': 'not trained (held-out accuracy below '
                                                                     '0.6)',
                                                           'verdict': 'not trained (held-out accuracy below '
                                                                      '0.6)'},
 'test_control_comparable[tiny-tiny-llama-64-cls-sgd]': {'expected': 'comparable',
                                                         'numbers': 'margin_frac 0.1; control_strength '
                                                                    '0.5539; lost_share -0.0122 [-0.0590, '
                                                                    '+0.0346]; mde 0.05838; p 0.3787; '
                                                                    'heldout_before 1.634; heldout_std '
                                                                    '1.605; heldout_ctrl 1.605; '
                                                                    'final_loss_ctrl_minus_std -0.0004 '
                                                                    '[-0.0029, +0.0020]; standard_slope '
                                                                    '+0.0000 [+0.0000, +0.0000]; '
                                                                    'steepness_change -0.0000 [-0.0000, '
                                                                    '-0.0000]; steepness_delta 1.253e-06; '
                                                                    'width_change +0.0000 [+0.0000, '
                                                                    '+0.0000]; seeds 3; accuracy_min 0.2031',
                                                         'strict': 'not trained (held-out accuracy below '
                                                                   '0.6)',
                                                         'verdict': 'not trained (held-out accuracy below '
                                                                    '0.6)'},
 'test_control_comparable[tiny-tiny-neox-64-clm-adamw]': {'expected': 'comparable',
                                                          'numbers': 'margin_frac 0.1; control_strength '
                                                                     '0.07358; lost_share -0.0049 [-0.0167, '
                                                                     '+0.0068]; mde 0.01463; p 0.2132; '
                                                                     'heldout_before 5.7; heldout_std 5.57; '
                                                                     'heldout_ctrl 5.57; '
                                                                     'final_loss_ctrl_minus_std -0.0003 '
                                                                     '[-0.0015, +0.0008]; standard_slope '
                                                                     '+0.0149 [+0.0106, +0.0191]; '
                                                                     'steepness_change -0.0006 [-0.0014, '
                                                                     '+0.0001]; steepness_delta 0.003714; '
                                                                     'width_change +1.0000 [+1.0000, '
                                                                     '+1.0000]; seeds 3',
                                                          'strict': 'control inert',
                                                          'verdict': 'control inert'},
 'test_control_comparable[tiny-tiny-neox-64-clm-sgd]': {'expected': 'comparable',
                                                        'numbers': 'margin_frac 0.1; control_strength '
                                                                   '0.2473; lost_share +0.0027 [-0.0152, '
                                                                   '+0.0205]; mde 0.02229; p 0.5866; '
                                                                   'heldout_before 5.7; heldout_std 5.503; '
                                                                   'heldout_ctrl 5.504; '
                                                                   'final_loss_ctrl_minus_std +0.0004 '
                                                                   '[-0.0005, +0.0012]; standard_slope '
                                                                   '+0.0048 [+0.0039, +0.0056]; '
                                                                   'steepness_change +0.0007 [+0.0005, '
                                                                   '+0.0009]; steepness_delta 0.00119; '
                                                                   'width_change -0.6667 [-3.5351, +2.2018]; '
                                                                   'seeds 3',
                                                        'strict': 'inconclusive (underpowered: ~97 seeds)',
                                                        'verdict': 'comparable'},
 'test_control_comparable[tiny-tiny-neox-64-cls-adamw]': {'expected': 'comparable',
                                                          'numbers': 'margin_frac 0.1; control_strength '
                                                                     '0.0733; lost_share +0.0610 [-0.1369, '
                                                                     '+0.2588]; mde 0.2466; p 0.3161; '
                                                                     'heldout_before 1.626; heldout_std '
                                                                     '1.576; heldout_ctrl 1.578; '
                                                                     'final_loss_ctrl_minus_std +0.0013 '
                                                                     '[-0.0021, +0.0047]; standard_slope '
                                                                     '+0.0284 [-0.0088, +0.0657]; '
                                                                     'steepness_change +0.0031 [-0.0064, '
                                                                     '+0.0126]; steepness_delta 0.007106; '
                                                                     'width_change +0.6667 [-0.7676, '
                                                                     '+2.1009]; seeds 3; accuracy_min 0.2031',
                                                          'strict': 'not trained (held-out accuracy below '
                                                                    '0.6)',
                                                          'verdict': 'not trained (held-out accuracy below '
                                                                     '0.6)'},
 'test_control_comparable[tiny-tiny-neox-64-cls-sgd]': {'expected': 'comparable',
                                                        'numbers': 'margin_frac 0.1; control_strength '
                                                                   '0.3411; lost_share -0.0069 [-0.0313, '
                                                                   '+0.0176]; mde 0.03048; p 0.3508; '
                                                                   'heldout_before 1.626; heldout_std 1.609; '
                                                                   'heldout_ctrl 1.608; '
                                                                   'final_loss_ctrl_minus_std -0.0002 '
                                                                   '[-0.0011, +0.0008]; standard_slope '
                                                                   '+0.0000 [-0.0000, +0.0000]; '
                                                                   'steepness_change -0.0000 [-0.0000, '
                                                                   '+0.0000]; steepness_delta 3.674e-07; '
                                                                   'width_change +0.0000 [+0.0000, +0.0000]; '
                                                                   'seeds 3; accuracy_min 0.1875',
                                                        'strict': 'not trained (held-out accuracy below 0.6)',
                                                        'verdict': 'not trained (held-out accuracy below '
                                                                   '0.6)'},
 'test_control_comparable[tiny-tiny-opt-64-clm-adamw]': {'expected': 'comparable',
                                                         'numbers': 'margin_frac 0.1; control_strength '
                                                                    '0.03596; lost_share -0.0001 [-0.0036, '
                                                                    '+0.0033]; mde 0.004312; p 0.8914; '
                                                                    'heldout_before 5.861; heldout_std '
                                                                    '5.753; heldout_ctrl 5.753; '
                                                                    'final_loss_ctrl_minus_std +0.0002 '
                                                                    '[-0.0000, +0.0005]; standard_slope '
                                                                    '+0.0171 [+0.0083, +0.0260]; '
                                                                    'steepness_change -0.0005 [-0.0009, '
                                                                    '-0.0001]; steepness_delta 0.004283; '
                                                                    'width_change +0.0000 [+0.0000, '
                                                                    '+0.0000]; seeds 3',
                                                         'strict': 'control inert',
                                                         'verdict': 'control inert'},
 'test_control_comparable[tiny-tiny-opt-64-clm-sgd]': {'expected': 'comparable',
                                                       'numbers': 'margin_frac 0.1; control_strength 0.5991; '
                                                                  'lost_share -0.1034 [-0.2074, +0.0006]; '
                                                                  'mde 0.1296; p 0.05052; heldout_before '
                                                                  '5.861; heldout_std 5.723; heldout_ctrl '
                                                                  '5.71; final_loss_ctrl_minus_std -0.0132 '
                                                                  '[-0.0255, -0.0009]; standard_slope '
                                                                  '+0.0053 [-0.0055, +0.0161]; '
                                                                  'steepness_change +0.0061 [+0.0046, '
                                                                  '+0.0076]; steepness_delta 0.001327; '
                                                                  'width_change -1.6667 [-4.5351, +1.2018]; '
                                                                  'seeds 3',
                                                       'strict': 'steepness moved',
                                                       'verdict': 'comparable'},
 'test_control_comparable[tiny-tiny-opt-64-cls-adamw]': {'expected': 'comparable',
                                                         'numbers': 'margin_frac 0.1; control_strength '
                                                                    '0.08716; lost_share -0.0125 [-0.0836, '
                                                                    '+0.0587]; mde 0.08873; p 0.53; '
                                                                    'heldout_before 1.632; heldout_std '
                                                                    '1.562; heldout_ctrl 1.561; '
                                                                    'final_loss_ctrl_minus_std -0.0015 '
                                                                    '[-0.0054, +0.0023]; standard_slope '
                                                                    '+0.1419 [-0.0176, +0.3015]; '
                                                                    'steepness_change -0.0028 [-0.0082, '
                                                                    '+0.0027]; steepness_delta 0.03549; '
                                                                    'width_change +0.0000 [+0.0000, '
                                                                    '+0.0000]; seeds 3; accuracy_min 0.2031',
                                                         'strict': 'not trained (held-out accuracy below '
                                                                   '0.6)',
                                                         'verdict': 'not trained (held-out accuracy below '
                                                                    '0.6)'},
 'test_control_comparable[tiny-tiny-opt-64-cls-sgd]': {'expected': 'comparable',
                                                       'numbers': 'margin_frac 0.1; control_strength 0.3739; '
                                                                  'lost_share +0.0020 [-0.0037, +0.0076]; '
                                                                  'mde 0.007061; p 0.2762; heldout_before '
                                                                  '1.632; heldout_std 1.609; heldout_ctrl '
                                                                  '1.609; final_loss_ctrl_minus_std +0.0000 '
                                                                  '[-0.0007, +0.0007]; standard_slope '
                                                                  '+0.0001 [-0.0001, +0.0003]; '
                                                                  'steepness_change -0.0000 [-0.0002, '
                                                                  '+0.0001]; steepness_delta 1.727e-05; '
                                                                  'width_change +0.0000 [+0.0000, +0.0000]; '
                                                                  'seeds 3; accuracy_min 0.1875',
                                                       'strict': 'not trained (held-out accuracy below 0.6)',
                                                       'verdict': 'not trained (held-out accuracy below '
                                                                  '0.6)'},
 'test_cross_claims[real-smollm2-135m-adamw]': {'expected': 'A~B -, A~C +, B~C -',
                                                'numbers': 'spearman_A~B +0.3037 [+0.0038, +0.6035]; '
                                                           'spearman_A~C -0.3491 [-0.5331, -0.1650]; '
                                                           'spearman_B~C -0.0225 [-0.3611, +0.3162]; '
                                                           'overlap_AB 0.6667; overlap_AC 0.3333; overlap_BC '
                                                           '0.2; set_A 1-2-3-4-5-6-7-8-9-11-18-20-22-24-30; '
                                                           'set_B 1-2-3-4-5-6-7-8-9-10-11-12-13-14-15; set_C '
                                                           '3-10-12-19-20-21-22-23-24-25-26-27-28-29-30; mde '
                                                           '0.4395; p 0.8407; seeds 3',
                                                'strict': '',
                                                'verdict': 'A~B +, A~C -, B~C ?'},
 'test_cross_claims[real-smollm2-135m-sgd]': {'expected': 'A~B -, A~C +, B~C -',
                                              'numbers': 'spearman_A~B +0.5809 [+0.3915, +0.7702]; '
                                                         'spearman_A~C -0.3695 [-0.5944, -0.1446]; '
                                                         'spearman_B~C -0.0225 [-0.3611, +0.3162]; '
                                                         'overlap_AB 0.7333; overlap_AC 0.3333; overlap_BC '
                                                         '0.2; set_A 1-2-3-4-5-6-7-9-11-13-14-19-25-28-30; '
                                                         'set_B 1-2-3-4-5-6-7-8-9-10-11-12-13-14-15; set_C '
                                                         '3-10-12-19-20-21-22-23-24-25-26-27-28-29-30; mde '
                                                         '0.4395; p 0.8407; seeds 3',
                                              'strict': '',
                                              'verdict': 'A~B +, A~C -, B~C ?'},
 'test_cross_claims[tiny-tiny-gpt2-64-adamw]': {'expected': 'A~B -, A~C +, B~C -',
                                                'fragile': 'other numerics: A~B ?, A~C ?, B~C + / - '
                                                           '(spearman_A~B +0.0857 [-0.7382, +0.9096]; '
                                                           'spearman_A~C +0.4286 [-0.4935, +1.3507]; '
                                                           'spearman_B~C +0.6571 [+0.4403, +0.8740]; '
                                                           'overlap_AB 0.6667; overlap_AC 0.6667; overlap_BC '
                                                           '1; set_A 1-2-4; set_B 1-2-3; set_C 1-2-3; mde '
                                                           '1.261; p 0.8009; seeds 3); other numerics: A~B '
                                                           '+, A~C ?, B~C + / - (spearman_A~B +0.2000 '
                                                           '[+0.0361, +0.3639]; spearman_A~C +0.4857 '
                                                           '[-0.0394, +1.0108]; spearman_B~C +0.8286 '
                                                           '[+0.1476, +1.5096]; overlap_AB 0.6667; '
                                                           'overlap_AC 0.6667; overlap_BC 1; set_A 1-2-4; '
                                                           'set_B 1-2-3; set_C 1-2-3; mde 0.8591; p 0.05832; '
                                                           'seeds 3)',
                                                'numbers': 'spearman_A~B +0.3714 [-0.1660, +0.9088]; '
                                                           'spearman_A~C +0.9429 [+0.7789, +1.1068]; '
                                                           'spearman_B~C +0.4286 [+0.2117, +0.6454]; '
                                                           'overlap_AB 0.6667; overlap_AC 1; overlap_BC '
                                                           '0.6667; set_A 1-2-4; set_B 1-2-3; set_C 1-2-4; '
                                                           'mde 0.6699; p 0.09692; seeds 3',
                                                'strict': '',
                                                'verdict': 'A~B ?, A~C +, B~C +'},
 'test_cross_claims[tiny-tiny-gpt2-64-sgd]': {'expected': 'A~B -, A~C +, B~C -',
                                              'fragile': 'other numerics: A~B ?, A~C +, B~C + / - '
                                                         '(spearman_A~B +0.3714 [-0.1660, +0.9088]; '
                                                         'spearman_A~C +0.8286 [+0.3723, +1.2849]; '
                                                         'spearman_B~C +0.6571 [+0.4403, +0.8740]; '
                                                         'overlap_AB 1; overlap_AC 1; overlap_BC 1; set_A '
                                                         '1-2-3; set_B 1-2-3; set_C 1-2-3; mde 0.6699; p '
                                                         '0.09692; seeds 3); other numerics: A~B ?, A~C +, '
                                                         'B~C + / - (spearman_A~B +0.4857 [-0.2519, '
                                                         '+1.2233]; spearman_A~C +0.7143 [+0.3461, +1.0825]; '
                                                         'spearman_B~C +0.8286 [+0.1476, +1.5096]; '
                                                         'overlap_AB 0.6667; overlap_AC 0.6667; overlap_BC '
                                                         '1; set_A 1-2-4; set_B 1-2-3; set_C 1-2-3; mde '
                                                         '0.9194; p 0.1053; seeds 3)',
                                              'numbers': 'spearman_A~B +0.6571 [+0.0893, +1.2249]; '
                                                         'spearman_A~C +0.9429 [+0.8009, +1.0848]; '
                                                         'spearman_B~C +0.4286 [+0.2117, +0.6454]; '
                                                         'overlap_AB 0.6667; overlap_AC 1; overlap_BC '
                                                         '0.6667; set_A 1-2-4; set_B 1-2-3; set_C 1-2-4; mde '
                                                         '0.7078; p 0.03804; seeds 3',
                                              'strict': '',
                                              'verdict': 'A~B +, A~C +, B~C +'},
 'test_cross_claims[tiny-tiny-llama-64-adamw]': {'expected': 'A~B -, A~C +, B~C -',
                                                 'numbers': 'spearman_A~B +0.7143 [+0.7143, +0.7143]; '
                                                            'spearman_A~C +0.7143 [+0.7143, +0.7143]; '
                                                            'spearman_B~C +1.0000 [+1.0000, +1.0000]; '
                                                            'overlap_AB 0.6667; overlap_AC 0.6667; '
                                                            'overlap_BC 0.3333; set_A 1-2-6; set_B 1-2-3; '
                                                            'set_C 1-4-6; mde 0; p 0; seeds 3',
                                                 'strict': '',
                                                 'verdict': 'A~B +, A~C +, B~C +'},
 'test_cross_claims[tiny-tiny-llama-64-sgd]': {'expected': 'A~B -, A~C +, B~C -',
                                               'numbers': 'spearman_A~B +0.8857 [+0.6398, +1.1316]; '
                                                          'spearman_A~C +0.8857 [+0.6398, +1.1316]; '
                                                          'spearman_B~C +1.0000 [+1.0000, +1.0000]; '
                                                          'overlap_AB 0.6667; overlap_AC 0.6667; overlap_BC '
                                                          '0.3333; set_A 1-2-6; set_B 1-2-3; set_C 1-4-6; '
                                                          'mde 0.3065; p 0.004137; seeds 3',
                                               'strict': '',
                                               'verdict': 'A~B +, A~C +, B~C +'},
 'test_delta_rank[real-smollm2-135m]': {'expected': 'reproduced',
                                        'numbers': 'erank_ratio +0.7795 [+0.7781, +0.7809]; ratio_margin '
                                                   '0.5; erank_ratio_max 0.8648; lost_at_r +0.7459 [+0.7422, '
                                                   '+0.7496]; lora_r 16; rank90_worst 272; rank90_gauss 410; '
                                                   'mde 0.001934; p 0; seeds 8',
                                        'strict': 'not reproduced (ratio -, rank 16 -)',
                                        'verdict': 'not low rank'},
 'test_delta_rank[tiny-tiny-gpt2-64]': {'expected': 'reproduced',
                                        'numbers': 'erank_ratio +0.5504 [+0.5474, +0.5534]; ratio_margin '
                                                   '0.5; erank_ratio_max 0.6929; lost_at_r +0.1089 [+0.1035, '
                                                   '+0.1143]; lora_r 16; rank90_worst 19; rank90_gauss 49; '
                                                   'mde 0.004089; p 1.536e-09; seeds 8',
                                        'strict': 'not reproduced (ratio -, rank 16 -)',
                                        'verdict': 'not low rank'},
 'test_delta_rank[tiny-tiny-llama-64]': {'expected': 'reproduced',
                                         'numbers': 'erank_ratio +0.6472 [+0.6453, +0.6490]; ratio_margin '
                                                    '0.5; erank_ratio_max 0.8386; lost_at_r +0.2293 '
                                                    '[+0.2214, +0.2373]; lora_r 16; rank90_worst 29; '
                                                    'rank90_gauss 46; mde 0.002581; p 2.467e-12; seeds 8',
                                         'strict': 'not reproduced (ratio -, rank 16 -)',
                                         'verdict': 'not low rank'},
 'test_delta_rank[tiny-tiny-neox-64]': {'expected': 'reproduced',
                                        'numbers': 'erank_ratio +0.5797 [+0.5769, +0.5825]; ratio_margin '
                                                   '0.5; erank_ratio_max 0.7488; lost_at_r +0.1497 [+0.1436, '
                                                   '+0.1558]; lora_r 16; rank90_worst 22; rank90_gauss 49; '
                                                   'mde 0.00387; p 4.209e-11; seeds 8',
                                        'strict': 'not reproduced (ratio -, rank 16 -)',
                                        'verdict': 'not low rank'},
 'test_deviation_ablation[real-smollm2-135m]': {'expected': 'reproduced',
                                                'numbers': 'high_dev '
                                                           '3-10-12-19-20-21-22-23-24-25-26-27-28-29-30; '
                                                           'low_dev 1-2-4-5-6-7-8-9-11-13-14-15-16-17-18; '
                                                           'low_minus_high +0.0141 [-0.0313, +0.0595]; '
                                                           'high_minus_all_blocks -0.0016 [-0.0159, '
                                                           '+0.0127]; low_minus_all_blocks +0.0125 [-0.0211, '
                                                           '+0.0461]; heldout_all_blocks 3.671; '
                                                           'heldout_high_dev 3.669; heldout_low_dev 3.683; '
                                                           'high_dev_trainable_frac 0.5; '
                                                           'high_dev_backward_frac 0.7261; '
                                                           'low_dev_trainable_frac 0.5; '
                                                           'low_dev_backward_frac 0.6981; lr all_blocks '
                                                           '0.0001, high_dev 0.0003, low_dev 0.0003; mde '
                                                           '0.05662; p 0.3127; seeds 3; '
                                                           'further_from_doubling 0.2595',
                                                'strict': 'not levelled off (twice the steps still lower the '
                                                          'held-out loss: train longer)',
                                                'verdict': 'not levelled off (twice the steps still lower '
                                                           'the held-out loss: train longer)'},
 'test_deviation_ablation[tiny-tiny-gpt2-64]': {'expected': 'reproduced',
                                                'numbers': 'high_dev 1-2-4; low_dev 3-5-6; low_minus_high '
                                                           '-0.0161 [-0.0269, -0.0054]; '
                                                           'high_minus_all_blocks +0.0113 [-0.0020, '
                                                           '+0.0246]; low_minus_all_blocks -0.0048 [-0.0075, '
                                                           '-0.0022]; heldout_all_blocks 5.902; '
                                                           'heldout_high_dev 5.914; heldout_low_dev 5.898; '
                                                           'high_dev_trainable_frac 0.5; '
                                                           'high_dev_backward_frac 0.9041; '
                                                           'low_dev_trainable_frac 0.5; '
                                                           'low_dev_backward_frac 0.9252; lr all_blocks '
                                                           '0.001, high_dev 0.003, low_dev 0.003; mde '
                                                           '0.0134; p 0.02318; seeds 3; '
                                                           'further_from_doubling 0.4807',
                                                'strict': 'not levelled off (twice the steps still lower the '
                                                          'held-out loss: train longer)',
                                                'verdict': 'not levelled off (twice the steps still lower '
                                                           'the held-out loss: train longer)'},
 'test_deviation_ablation[tiny-tiny-llama-64]': {'expected': 'reproduced',
                                                 'numbers': 'high_dev 1-4-6; low_dev 2-3-5; low_minus_high '
                                                            '+0.0009 [-0.0182, +0.0201]; '
                                                            'high_minus_all_blocks +0.0022 [-0.0117, '
                                                            '+0.0161]; low_minus_all_blocks +0.0031 '
                                                            '[-0.0159, +0.0222]; heldout_all_blocks 5.725; '
                                                            'heldout_high_dev 5.727; heldout_low_dev 5.728; '
                                                            'high_dev_trainable_frac 0.5; '
                                                            'high_dev_backward_frac 0.8419; '
                                                            'low_dev_trainable_frac 0.5; '
                                                            'low_dev_backward_frac 0.805; lr all_blocks '
                                                            '0.001, high_dev 0.003, low_dev 0.003; mde '
                                                            '0.0239; p 0.8554; seeds 3; '
                                                            'further_from_doubling 0.573',
                                                 'strict': 'not levelled off (twice the steps still lower '
                                                           'the held-out loss: train longer)',
                                                 'verdict': 'not levelled off (twice the steps still lower '
                                                            'the held-out loss: train longer)'},
 'test_deviation_location[real-smollm2-135m]': {'expected': 'reproduced',
                                                'numbers': 'top_k '
                                                           '3-10-12-19-20-21-22-23-24-25-26-27-28-29-30; '
                                                           'top_k_in_first_part +2.0000 [+2.0000, +2.0000]; '
                                                           'expected_in_first_part 5; first_part_below_depth '
                                                           '0.3333; d [47.8 42.6 48.5 20.7 22.5 24.6 26.5 '
                                                           '29.8 39.6 52.1 46.1 499 33.2 34.2 32.3 41.8 43.9 '
                                                           '39.6 52.1 62.5 71.9 88.1 98.4 123 250 125 127 '
                                                           '237 511 707]; k 15; probe_seqs 16; mde 3; p '
                                                           '0.02509; p_at_count 0.02509; p_min 9.995e-05',
                                                'strict': 'not reproduced',
                                                'verdict': 'reproduced'},
 'test_deviation_location[tiny-tiny-gpt2-64]': {'expected': 'reproduced',
                                                'numbers': 'top_k 1-2-4; top_k_in_first_part +2.0000 '
                                                           '[+2.0000, +2.0000]; expected_in_first_part 1; '
                                                           'first_part_below_depth 0.3333; d [15.5 5.5 4.92 '
                                                           '5.14 4.11 2.87]; k 3; probe_seqs 48; mde inf; p '
                                                           '1; p_at_count 1; p_min 0.2',
                                                'strict': 'not reproduced',
                                                'verdict': 'inconclusive (underpowered: >= 11 layers)'},
 'test_deviation_location[tiny-tiny-llama-64]': {'expected': 'reproduced',
                                                 'numbers': 'top_k 1-4-6; top_k_in_first_part +1.0000 '
                                                            '[+1.0000, +1.0000]; expected_in_first_part 1; '
                                                            'first_part_below_depth 0.3333; d [8.71 2.82 '
                                                            '1.88 2.96 2.29 4.61]; k 3; probe_seqs 48; mde '
                                                            'inf; p 0.8; p_at_count 0.8; p_min 0.2',
                                                 'strict': 'not reproduced',
                                                 'verdict': 'inconclusive (underpowered: >= 11 layers)'},
 'test_equal_step[real-minilm-cls-adamw]': {'expected': 'retained',
                                            'numbers': 'control_strength 0.05286; r_spread 0.1782; '
                                                       'standard_slope +0.0165 [+0.0131, +0.0198]; '
                                                       'controlled_slope +0.0169 [+0.0137, +0.0202]; '
                                                       'controlled_excess +0.0169 [+0.0137, +0.0202]; '
                                                       'controlled_shape_excess +1.2030 [+1.0019, +1.4041]; '
                                                       'control_minus_standard +0.0005 [+0.0002, +0.0008]; '
                                                       'collapse_delta 0.004116; final_loss_std 1.582; '
                                                       'final_loss_ctrl 1.583; mde 0.00424; p 0.001421; '
                                                       'seeds 3; accuracy_min 0.3125',
                                            'strict': 'not trained (held-out accuracy below 0.6)',
                                            'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_equal_step[real-minilm-cls-sgd]': {'expected': 'retained',
                                          'numbers': 'control_strength 0.3982; r_spread 1.126; '
                                                     'standard_slope +0.0088 [+0.0049, +0.0127]; '
                                                     'controlled_slope +0.0099 [+0.0049, +0.0148]; '
                                                     'controlled_excess +0.0099 [+0.0049, +0.0148]; '
                                                     'controlled_shape_excess +0.8101 [+0.6547, +0.9654]; '
                                                     'control_minus_standard +0.0011 [-0.0001, +0.0022]; '
                                                     'collapse_delta 0.0022; final_loss_std 1.558; '
                                                     'final_loss_ctrl 1.559; mde 0.006194; p 0.01314; seeds '
                                                     '3; accuracy_min 0.1875',
                                          'strict': 'not trained (held-out accuracy below 0.6)',
                                          'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_equal_step[real-minilm-mlm-adamw]': {'expected': 'retained',
                                            'numbers': 'control_strength 0.06908; r_spread 0.2307; '
                                                       'standard_slope +0.1549 [+0.1153, +0.1944]; '
                                                       'controlled_slope +0.1580 [+0.1167, +0.1993]; '
                                                       'controlled_excess +0.1580 [+0.1167, +0.1992]; '
                                                       'controlled_shape_excess +1.6146 [+1.3741, +1.8551]; '
                                                       'control_minus_standard +0.0031 [+0.0009, +0.0054]; '
                                                       'collapse_delta 0.03872; final_loss_std 7.971; '
                                                       'final_loss_ctrl 7.982; mde 0.05185; p 0.003533; '
                                                       'seeds 3',
                                            'strict': 'control inert',
                                            'verdict': 'control inert'},
 'test_equal_step[real-minilm-mlm-sgd]': {'expected': 'retained',
                                          'numbers': 'control_strength 0.2336; r_spread 0.7385; '
                                                     'standard_slope +0.2343 [+0.1781, +0.2906]; '
                                                     'controlled_slope +0.2400 [+0.1789, +0.3012]; '
                                                     'controlled_excess +0.2400 [+0.1789, +0.3012]; '
                                                     'controlled_shape_excess +0.0935 [-0.2096, +0.3967]; '
                                                     'control_minus_standard +0.0057 [-0.0008, +0.0122]; '
                                                     'collapse_delta 0.05858; final_loss_std 7.673; '
                                                     'final_loss_ctrl 7.683; mde 0.0771; p 0.003286; seeds 3',
                                          'strict': 'larger than null, not steeper',
                                          'verdict': 'retained'},
 'test_equal_step[real-smollm2-135m-clm-adamw]': {'expected': 'retained',
                                                  'numbers': 'control_strength 0.01657; r_spread 0.07043; '
                                                             'standard_slope +0.0367 [+0.0277, +0.0456]; '
                                                             'controlled_slope +0.0366 [+0.0277, +0.0455]; '
                                                             'controlled_excess +0.0363 [+0.0274, +0.0451]; '
                                                             'controlled_shape_excess +0.4179 [-0.4030, '
                                                             '+1.2387]; control_minus_standard -0.0001 '
                                                             '[-0.0002, +0.0000]; collapse_delta 0.009165; '
                                                             'final_loss_std 3.823; final_loss_ctrl 3.824; '
                                                             'mde 0.01134; p 0.002866; seeds 3',
                                                  'strict': 'control inert',
                                                  'verdict': 'control inert'},
 'test_equal_step[real-smollm2-135m-clm-sgd]': {'expected': 'retained',
                                                'numbers': 'control_strength 0.338; r_spread 1.98; '
                                                           'standard_slope +0.0226 [+0.0184, +0.0269]; '
                                                           'controlled_slope +0.0190 [+0.0152, +0.0227]; '
                                                           'controlled_excess +0.0190 [+0.0152, +0.0227]; '
                                                           'controlled_shape_excess +0.4697 [+0.2780, '
                                                           '+0.6613]; control_minus_standard -0.0037 '
                                                           '[-0.0047, -0.0027]; collapse_delta 0.005662; '
                                                           'final_loss_std 3.797; final_loss_ctrl 3.808; mde '
                                                           '0.005167; p 0.000593; seeds 3',
                                                'strict': 'steeper than null',
                                                'verdict': 'retained'},
 'test_equal_step[tiny-tiny-bert-64-cls-adamw]': {'expected': 'retained',
                                                  'numbers': 'control_strength 0.02443; r_spread 0.08381; '
                                                             'standard_slope +0.0064 [-0.0001, +0.0128]; '
                                                             'controlled_slope +0.0063 [-0.0001, +0.0128]; '
                                                             'controlled_excess +0.0063 [-0.0002, +0.0128]; '
                                                             'controlled_shape_excess +0.5706 [+0.2539, '
                                                             '+0.8872]; control_minus_standard -0.0000 '
                                                             '[-0.0001, +0.0000]; collapse_delta 0.001592; '
                                                             'final_loss_std 1.615; final_loss_ctrl 1.615; '
                                                             'mde 0.008079; p 0.05214; seeds 3; accuracy_min '
                                                             '0.1875',
                                                  'strict': 'not trained (held-out accuracy below 0.6)',
                                                  'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_equal_step[tiny-tiny-bert-64-cls-sgd]': {'expected': 'retained',
                                                'numbers': 'control_strength 0.1271; r_spread 0.542; '
                                                           'standard_slope +0.0001 [-0.0000, +0.0002]; '
                                                           'controlled_slope +0.0001 [-0.0000, +0.0002]; '
                                                           'controlled_excess +0.0001 [-0.0000, +0.0002]; '
                                                           'controlled_shape_excess -0.5711 [-0.6931, '
                                                           '-0.4490]; control_minus_standard +0.0000 '
                                                           '[+0.0000, +0.0000]; collapse_delta 2.109e-05; '
                                                           'final_loss_std 1.617; final_loss_ctrl 1.617; mde '
                                                           '0.0001534; p 0.07759; seeds 3; accuracy_min '
                                                           '0.09375',
                                                'strict': 'not trained (held-out accuracy below 0.6)',
                                                'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_equal_step[tiny-tiny-bert-64-mlm-adamw]': {'expected': 'retained',
                                                  'numbers': 'control_strength 0.01614; r_spread 0.05962; '
                                                             'standard_slope +0.0188 [+0.0152, +0.0225]; '
                                                             'controlled_slope +0.0189 [+0.0153, +0.0224]; '
                                                             'controlled_excess +0.0185 [+0.0149, +0.0221]; '
                                                             'controlled_shape_excess +0.2364 [-0.0720, '
                                                             '+0.5449]; control_minus_standard +0.0000 '
                                                             '[-0.0002, +0.0002]; collapse_delta 0.004709; '
                                                             'final_loss_std 6.408; final_loss_ctrl 6.408; '
                                                             'mde 0.004436; p 0.001898; seeds 3',
                                                  'strict': 'control inert',
                                                  'verdict': 'control inert'},
 'test_equal_step[tiny-tiny-bert-64-mlm-sgd]': {'expected': 'retained',
                                                'fragile': 'other numerics: collapsed / no slope '
                                                           '(control_strength 0.2031; r_spread 0.7791; '
                                                           'standard_slope -0.0006 [-0.0011, -0.0002]; '
                                                           'controlled_slope -0.0003 [-0.0006, -0.0001]; '
                                                           'controlled_excess -0.0003 [-0.0006, -0.0001]; '
                                                           'controlled_shape_excess -0.7676 [-0.9534, '
                                                           '-0.5819]; control_minus_standard +0.0003 '
                                                           '[+0.0000, +0.0006]; collapse_delta 0.0001597; '
                                                           'final_loss_std 6.435; final_loss_ctrl 6.435; mde '
                                                           '0.0003146; p 0.0286; seeds 3)',
                                                'numbers': 'control_strength 0.2013; r_spread 0.8138; '
                                                           'standard_slope -0.0017 [-0.0039, +0.0005]; '
                                                           'controlled_slope -0.0013 [-0.0034, +0.0007]; '
                                                           'controlled_excess -0.0013 [-0.0034, +0.0007]; '
                                                           'controlled_shape_excess -0.8924 [-1.0527, '
                                                           '-0.7321]; control_minus_standard +0.0003 '
                                                           '[+0.0002, +0.0005]; collapse_delta 0.0004163; '
                                                           'final_loss_std 6.415; final_loss_ctrl 6.415; mde '
                                                           '0.00255; p 0.1072; seeds 3',
                                                'strict': 'inconclusive (underpowered: ~6 seeds)',
                                                'verdict': 'inconclusive (underpowered: ~6 seeds)'},
 'test_equal_step[tiny-tiny-codegen-64-clm-adamw]': {'expected': 'retained',
                                                     'numbers': 'control_strength 0.07928; r_spread 0.3113; '
                                                                'standard_slope +0.0158 [+0.0132, +0.0184]; '
                                                                'controlled_slope +0.0150 [+0.0122, '
                                                                '+0.0179]; controlled_excess +0.0150 '
                                                                '[+0.0121, +0.0179]; controlled_shape_excess '
                                                                '+0.7285 [+0.5324, +0.9245]; '
                                                                'control_minus_standard -0.0008 [-0.0010, '
                                                                '-0.0005]; collapse_delta 0.003954; '
                                                                'final_loss_std 5.684; final_loss_ctrl '
                                                                '5.683; mde 0.003588; p 0.001928; seeds 3',
                                                     'strict': 'control inert',
                                                     'verdict': 'control inert'},
 'test_equal_step[tiny-tiny-codegen-64-clm-sgd]': {'expected': 'retained',
                                                   'numbers': 'control_strength 0.2533; r_spread 0.9476; '
                                                              'standard_slope +0.0039 [+0.0020, +0.0058]; '
                                                              'controlled_slope +0.0047 [+0.0026, +0.0068]; '
                                                              'controlled_excess +0.0047 [+0.0026, +0.0068]; '
                                                              'controlled_shape_excess +0.2053 [+0.0900, '
                                                              '+0.3205]; control_minus_standard +0.0008 '
                                                              '[+0.0006, +0.0010]; collapse_delta 0.0009704; '
                                                              'final_loss_std 5.637; final_loss_ctrl 5.637; '
                                                              'mde 0.002593; p 0.01017; seeds 3',
                                                   'strict': 'steeper than null',
                                                   'verdict': 'retained'},
 'test_equal_step[tiny-tiny-codegen-64-cls-adamw]': {'expected': 'collapsed',
                                                     'numbers': 'control_strength 0.07052; r_spread 0.2765; '
                                                                'standard_slope +0.0353 [+0.0281, +0.0424]; '
                                                                'controlled_slope +0.0382 [+0.0304, '
                                                                '+0.0460]; controlled_excess +0.0382 '
                                                                '[+0.0304, +0.0459]; controlled_shape_excess '
                                                                '+0.8182 [+0.3690, +1.2674]; '
                                                                'control_minus_standard +0.0030 [+0.0012, '
                                                                '+0.0049]; collapse_delta 0.008813; '
                                                                'final_loss_std 1.593; final_loss_ctrl '
                                                                '1.596; mde 0.0098; p 0.00214; seeds 3; '
                                                                'accuracy_min 0.2188',
                                                     'strict': 'not trained (held-out accuracy below 0.6)',
                                                     'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_equal_step[tiny-tiny-codegen-64-cls-sgd]': {'expected': 'collapsed',
                                                   'numbers': 'control_strength 0.3189; r_spread 1.16; '
                                                              'standard_slope +0.0002 [-0.0000, +0.0004]; '
                                                              'controlled_slope +0.0001 [-0.0000, +0.0003]; '
                                                              'controlled_excess +0.0001 [-0.0000, +0.0003]; '
                                                              'controlled_shape_excess +0.0324 [-0.1642, '
                                                              '+0.2291]; control_minus_standard -0.0000 '
                                                              '[-0.0001, +0.0000]; collapse_delta 4.451e-05; '
                                                              'final_loss_std 1.652; final_loss_ctrl 1.653; '
                                                              'mde 0.0002105; p 0.07691; seeds 3; '
                                                              'accuracy_min 0.1875',
                                                   'strict': 'not trained (held-out accuracy below 0.6)',
                                                   'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_equal_step[tiny-tiny-gpt2-64-clm-adamw]': {'expected': 'retained',
                                                  'numbers': 'control_strength 0.04234; r_spread 0.1626; '
                                                             'standard_slope +0.0234 [+0.0163, +0.0305]; '
                                                             'controlled_slope +0.0229 [+0.0165, +0.0293]; '
                                                             'controlled_excess +0.0226 [+0.0161, +0.0292]; '
                                                             'controlled_shape_excess +0.6276 [+0.5333, '
                                                             '+0.7218]; control_minus_standard -0.0006 '
                                                             '[-0.0014, +0.0003]; collapse_delta 0.005855; '
                                                             'final_loss_std 5.876; final_loss_ctrl 5.876; '
                                                             'mde 0.007998; p 0.004101; seeds 3',
                                                  'strict': 'control inert',
                                                  'verdict': 'control inert'},
 'test_equal_step[tiny-tiny-gpt2-64-clm-sgd]': {'expected': 'retained',
                                                'numbers': 'control_strength 0.6871; r_spread 2.954; '
                                                           'standard_slope +0.0082 [+0.0044, +0.0120]; '
                                                           'controlled_slope +0.0133 [+0.0085, +0.0181]; '
                                                           'controlled_excess +0.0132 [+0.0084, +0.0180]; '
                                                           'controlled_shape_excess -0.0221 [-0.3540, '
                                                           '+0.3099]; control_minus_standard +0.0050 '
                                                           '[+0.0028, +0.0073]; collapse_delta 0.002054; '
                                                           'final_loss_std 5.874; final_loss_ctrl 5.849; mde '
                                                           '0.006024; p 0.006878; seeds 3',
                                                'strict': 'larger than null, not steeper',
                                                'verdict': 'retained'},
 'test_equal_step[tiny-tiny-gpt2-64-cls-adamw]': {'expected': 'retained',
                                                  'numbers': 'control_strength 0.05635; r_spread 0.2066; '
                                                             'standard_slope +0.1392 [-0.0257, +0.3042]; '
                                                             'controlled_slope +0.1432 [-0.0261, +0.3124]; '
                                                             'controlled_excess +0.1428 [-0.0269, +0.3124]; '
                                                             'controlled_shape_excess +0.3816 [-0.1015, '
                                                             '+0.8647]; control_minus_standard +0.0039 '
                                                             '[-0.0132, +0.0210]; collapse_delta 0.03481; '
                                                             'final_loss_std 1.593; final_loss_ctrl 1.594; '
                                                             'mde 0.211; p 0.06789; seeds 3; accuracy_min '
                                                             '0.2031',
                                                  'strict': 'not trained (held-out accuracy below 0.6)',
                                                  'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_equal_step[tiny-tiny-gpt2-64-cls-sgd]': {'expected': 'retained',
                                                'numbers': 'control_strength 0.4277; r_spread 1.799; '
                                                           'standard_slope +0.0000 [-0.0001, +0.0001]; '
                                                           'controlled_slope +0.0000 [-0.0000, +0.0000]; '
                                                           'controlled_excess +0.0000 [-0.0000, +0.0000]; '
                                                           'controlled_shape_excess +0.2864 [+0.0650, '
                                                           '+0.5078]; control_minus_standard -0.0000 '
                                                           '[-0.0001, +0.0000]; collapse_delta 1.064e-05; '
                                                           'final_loss_std 1.622; final_loss_ctrl 1.622; mde '
                                                           '2.279e-05; p 0.1533; seeds 3; accuracy_min '
                                                           '0.2031',
                                                'strict': 'not trained (held-out accuracy below 0.6)',
                                                'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_equal_step[tiny-tiny-gptj-64-clm-adamw]': {'expected': 'retained',
                                                  'numbers': 'control_strength 0.08328; r_spread 0.3066; '
                                                             'standard_slope +0.0163 [+0.0154, +0.0172]; '
                                                             'controlled_slope +0.0156 [+0.0146, +0.0165]; '
                                                             'controlled_excess +0.0155 [+0.0146, +0.0164]; '
                                                             'controlled_shape_excess +0.7222 [+0.5391, '
                                                             '+0.9054]; control_minus_standard -0.0007 '
                                                             '[-0.0011, -0.0002]; collapse_delta 0.004072; '
                                                             'final_loss_std 5.719; final_loss_ctrl 5.719; '
                                                             'mde 0.001225; p 0.0001308; seeds 3',
                                                  'strict': 'control inert',
                                                  'verdict': 'control inert'},
 'test_equal_step[tiny-tiny-gptj-64-clm-sgd]': {'expected': 'retained',
                                                'numbers': 'control_strength 0.2819; r_spread 1.012; '
                                                           'standard_slope +0.0060 [+0.0033, +0.0086]; '
                                                           'controlled_slope +0.0064 [+0.0044, +0.0084]; '
                                                           'controlled_excess +0.0064 [+0.0044, +0.0084]; '
                                                           'controlled_shape_excess +0.3068 [+0.2285, '
                                                           '+0.3851]; control_minus_standard +0.0004 '
                                                           '[-0.0008, +0.0016]; collapse_delta 0.001488; '
                                                           'final_loss_std 5.677; final_loss_ctrl 5.677; mde '
                                                           '0.002549; p 0.00529; seeds 3',
                                                'strict': 'steeper than null',
                                                'verdict': 'retained'},
 'test_equal_step[tiny-tiny-gptj-64-cls-adamw]': {'expected': 'collapsed',
                                                  'numbers': 'control_strength 0.07833; r_spread 0.3007; '
                                                             'standard_slope +0.0401 [+0.0169, +0.0634]; '
                                                             'controlled_slope +0.0440 [+0.0257, +0.0623]; '
                                                             'controlled_excess +0.0440 [+0.0258, +0.0622]; '
                                                             'controlled_shape_excess +0.7989 [+0.6439, '
                                                             '+0.9540]; control_minus_standard +0.0039 '
                                                             '[-0.0032, +0.0111]; collapse_delta 0.01003; '
                                                             'final_loss_std 1.589; final_loss_ctrl 1.592; '
                                                             'mde 0.02281; p 0.009171; seeds 3; accuracy_min '
                                                             '0.1875',
                                                  'strict': 'not trained (held-out accuracy below 0.6)',
                                                  'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_equal_step[tiny-tiny-gptj-64-cls-sgd]': {'expected': 'collapsed',
                                                'numbers': 'control_strength 0.3223; r_spread 1.149; '
                                                           'standard_slope +0.0017 [-0.0012, +0.0046]; '
                                                           'controlled_slope +0.0016 [-0.0012, +0.0043]; '
                                                           'controlled_excess +0.0016 [-0.0012, +0.0043]; '
                                                           'controlled_shape_excess +0.3575 [+0.1626, '
                                                           '+0.5524]; control_minus_standard -0.0002 '
                                                           '[-0.0004, +0.0001]; collapse_delta 0.0004281; '
                                                           'final_loss_std 1.644; final_loss_ctrl 1.642; mde '
                                                           '0.003474; p 0.1381; seeds 3; accuracy_min 0.1875',
                                                'strict': 'not trained (held-out accuracy below 0.6)',
                                                'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_equal_step[tiny-tiny-llama-64-clm-adamw]': {'expected': 'retained',
                                                   'numbers': 'control_strength 0.04109; r_spread 0.1377; '
                                                              'standard_slope +0.0212 [+0.0182, +0.0242]; '
                                                              'controlled_slope +0.0208 [+0.0174, +0.0242]; '
                                                              'controlled_excess +0.0208 [+0.0173, +0.0243]; '
                                                              'controlled_shape_excess +0.8713 [+0.4641, '
                                                              '+1.2785]; control_minus_standard -0.0004 '
                                                              '[-0.0008, +0.0001]; collapse_delta 0.005297; '
                                                              'final_loss_std 5.746; final_loss_ctrl 5.746; '
                                                              'mde 0.004257; p 0.001289; seeds 3',
                                                   'strict': 'control inert',
                                                   'verdict': 'control inert'},
 'test_equal_step[tiny-tiny-llama-64-clm-sgd]': {'expected': 'retained',
                                                 'numbers': 'control_strength 0.4037; r_spread 1.657; '
                                                            'standard_slope +0.0086 [+0.0003, +0.0168]; '
                                                            'controlled_slope +0.0165 [+0.0135, +0.0195]; '
                                                            'controlled_excess +0.0165 [+0.0134, +0.0196]; '
                                                            'controlled_shape_excess +0.6904 [+0.3006, '
                                                            '+1.0801]; control_minus_standard +0.0076 '
                                                            '[+0.0022, +0.0131]; collapse_delta 0.002144; '
                                                            'final_loss_std 5.704; final_loss_ctrl 5.699; '
                                                            'mde 0.003839; p 0.001616; seeds 3',
                                                 'strict': 'steeper than null',
                                                 'verdict': 'retained'},
 'test_equal_step[tiny-tiny-llama-64-cls-adamw]': {'expected': 'retained',
                                                   'numbers': 'control_strength 0.061; r_spread 0.2124; '
                                                              'standard_slope +0.1283 [-0.0103, +0.2669]; '
                                                              'controlled_slope +0.1280 [-0.0108, +0.2667]; '
                                                              'controlled_excess +0.1280 [-0.0106, +0.2666]; '
                                                              'controlled_shape_excess +0.8855 [+0.6838, '
                                                              '+1.0873]; control_minus_standard -0.0004 '
                                                              '[-0.0012, +0.0005]; collapse_delta 0.03208; '
                                                              'final_loss_std 1.567; final_loss_ctrl 1.566; '
                                                              'mde 0.173; p 0.05802; seeds 3; accuracy_min '
                                                              '0.2188',
                                                   'strict': 'not trained (held-out accuracy below 0.6)',
                                                   'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_equal_step[tiny-tiny-llama-64-cls-sgd]': {'expected': 'retained',
                                                 'numbers': 'control_strength 0.5539; r_spread 2.244; '
                                                            'standard_slope +0.0000 [+0.0000, +0.0000]; '
                                                            'controlled_slope +0.0000 [+0.0000, +0.0000]; '
                                                            'controlled_excess +0.0000 [+0.0000, +0.0000]; '
                                                            'controlled_shape_excess +1.2524 [+0.1782, '
                                                            '+2.3265]; control_minus_standard -0.0000 '
                                                            '[-0.0000, -0.0000]; collapse_delta 1.253e-06; '
                                                            'final_loss_std 1.614; final_loss_ctrl 1.613; '
                                                            'mde 3.905e-06; p 0.03186; seeds 3; accuracy_min '
                                                            '0.2031',
                                                 'strict': 'not trained (held-out accuracy below 0.6)',
                                                 'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_equal_step[tiny-tiny-neox-64-clm-adamw]': {'expected': 'retained',
                                                  'numbers': 'control_strength 0.07358; r_spread 0.279; '
                                                             'standard_slope +0.0149 [+0.0106, +0.0191]; '
                                                             'controlled_slope +0.0142 [+0.0103, +0.0181]; '
                                                             'controlled_excess +0.0142 [+0.0103, +0.0181]; '
                                                             'controlled_shape_excess +0.6136 [+0.5455, '
                                                             '+0.6817]; control_minus_standard -0.0006 '
                                                             '[-0.0013, +0.0001]; collapse_delta 0.003714; '
                                                             'final_loss_std 5.69; final_loss_ctrl 5.689; '
                                                             'mde 0.004864; p 0.003988; seeds 3',
                                                  'strict': 'control inert',
                                                  'verdict': 'control inert'},
 'test_equal_step[tiny-tiny-neox-64-clm-sgd]': {'expected': 'retained',
                                                'numbers': 'control_strength 0.2473; r_spread 1.022; '
                                                           'standard_slope +0.0048 [+0.0039, +0.0056]; '
                                                           'controlled_slope +0.0055 [+0.0047, +0.0063]; '
                                                           'controlled_excess +0.0055 [+0.0047, +0.0063]; '
                                                           'controlled_shape_excess +0.2950 [+0.1866, '
                                                           '+0.4034]; control_minus_standard +0.0007 '
                                                           '[+0.0005, +0.0009]; collapse_delta 0.00119; '
                                                           'final_loss_std 5.645; final_loss_ctrl 5.645; mde '
                                                           '0.001043; p 0.001048; seeds 3',
                                                'strict': 'steeper than null',
                                                'verdict': 'retained'},
 'test_equal_step[tiny-tiny-neox-64-cls-adamw]': {'expected': 'collapsed',
                                                  'numbers': 'control_strength 0.0733; r_spread 0.2844; '
                                                             'standard_slope +0.0284 [-0.0088, +0.0657]; '
                                                             'controlled_slope +0.0315 [-0.0143, +0.0774]; '
                                                             'controlled_excess +0.0315 [-0.0144, +0.0774]; '
                                                             'controlled_shape_excess +0.7320 [+0.4384, '
                                                             '+1.0256]; control_minus_standard +0.0032 '
                                                             '[-0.0064, +0.0128]; collapse_delta 0.007106; '
                                                             'final_loss_std 1.595; final_loss_ctrl 1.597; '
                                                             'mde 0.05712; p 0.09763; seeds 3; accuracy_min '
                                                             '0.2031',
                                                  'strict': 'not trained (held-out accuracy below 0.6)',
                                                  'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_equal_step[tiny-tiny-neox-64-cls-sgd]': {'expected': 'collapsed',
                                                'numbers': 'control_strength 0.3411; r_spread 1.332; '
                                                           'standard_slope +0.0000 [-0.0000, +0.0000]; '
                                                           'controlled_slope +0.0000 [-0.0000, +0.0000]; '
                                                           'controlled_excess +0.0000 [-0.0000, +0.0000]; '
                                                           'controlled_shape_excess +0.0936 [-0.3714, '
                                                           '+0.5586]; control_minus_standard -0.0000 '
                                                           '[-0.0000, +0.0000]; collapse_delta 3.674e-07; '
                                                           'final_loss_std 1.623; final_loss_ctrl 1.623; mde '
                                                           '3.867e-06; p 0.22; seeds 3; accuracy_min 0.1875',
                                                'strict': 'not trained (held-out accuracy below 0.6)',
                                                'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_equal_step[tiny-tiny-opt-64-clm-adamw]': {'expected': 'retained',
                                                 'numbers': 'control_strength 0.03596; r_spread 0.134; '
                                                            'standard_slope +0.0171 [+0.0083, +0.0260]; '
                                                            'controlled_slope +0.0166 [+0.0074, +0.0258]; '
                                                            'controlled_excess +0.0165 [+0.0072, +0.0259]; '
                                                            'controlled_shape_excess +0.5191 [+0.1945, '
                                                            '+0.8437]; control_minus_standard -0.0005 '
                                                            '[-0.0009, -0.0001]; collapse_delta 0.004283; '
                                                            'final_loss_std 5.846; final_loss_ctrl 5.846; '
                                                            'mde 0.01151; p 0.01617; seeds 3',
                                                 'strict': 'control inert',
                                                 'verdict': 'control inert'},
 'test_equal_step[tiny-tiny-opt-64-clm-sgd]': {'expected': 'retained',
                                               'fragile': 'other numerics: retained / larger than null, not '
                                                          'steeper (control_strength 0.6033; r_spread 2.463; '
                                                          'standard_slope +0.0028 [-0.0022, +0.0077]; '
                                                          'controlled_slope +0.0095 [+0.0030, +0.0160]; '
                                                          'controlled_excess +0.0095 [+0.0029, +0.0160]; '
                                                          'controlled_shape_excess +0.0291 [-0.0946, '
                                                          '+0.1529]; control_minus_standard +0.0066 '
                                                          '[+0.0046, +0.0087]; collapse_delta 0.0006943; '
                                                          'final_loss_std 5.826; final_loss_ctrl 5.811; mde '
                                                          '0.00816; p 0.02451; seeds 3); other numerics: '
                                                          'retained / steeper than null (control_strength '
                                                          '0.5873; r_spread 2.402; standard_slope +0.0083 '
                                                          '[-0.0006, +0.0171]; controlled_slope +0.0132 '
                                                          '[+0.0066, +0.0199]; controlled_excess +0.0132 '
                                                          '[+0.0065, +0.0198]; controlled_shape_excess '
                                                          '+0.1965 [+0.0003, +0.3928]; '
                                                          'control_minus_standard +0.0049 [-0.0000, '
                                                          '+0.0098]; collapse_delta 0.002063; final_loss_std '
                                                          '5.835; final_loss_ctrl 5.819; mde 0.008311; p '
                                                          '0.0133; seeds 3)',
                                               'numbers': 'control_strength 0.5991; r_spread 2.446; '
                                                          'standard_slope +0.0053 [-0.0055, +0.0161]; '
                                                          'controlled_slope +0.0114 [-0.0001, +0.0229]; '
                                                          'controlled_excess +0.0114 [-0.0001, +0.0229]; '
                                                          'controlled_shape_excess +0.0384 [-0.2942, '
                                                          '+0.3710]; control_minus_standard +0.0060 '
                                                          '[+0.0046, +0.0075]; collapse_delta 0.001327; '
                                                          'final_loss_std 5.832; final_loss_ctrl 5.818; mde '
                                                          '0.01432; p 0.05056; seeds 3',
                                               'strict': 'inconclusive (underpowered: ~4 seeds)',
                                               'verdict': 'inconclusive (underpowered: ~4 seeds)'},
 'test_equal_step[tiny-tiny-opt-64-cls-adamw]': {'expected': 'retained',
                                                 'numbers': 'control_strength 0.08716; r_spread 0.3494; '
                                                            'standard_slope +0.1419 [-0.0176, +0.3015]; '
                                                            'controlled_slope +0.1392 [-0.0217, +0.3001]; '
                                                            'controlled_excess +0.1390 [-0.0221, +0.3001]; '
                                                            'controlled_shape_excess +0.5492 [+0.2120, '
                                                            '+0.8863]; control_minus_standard -0.0027 '
                                                            '[-0.0082, +0.0027]; collapse_delta 0.03549; '
                                                            'final_loss_std 1.589; final_loss_ctrl 1.588; '
                                                            'mde 0.2006; p 0.0652; seeds 3; accuracy_min '
                                                            '0.2031',
                                                 'strict': 'not trained (held-out accuracy below 0.6)',
                                                 'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_equal_step[tiny-tiny-opt-64-cls-sgd]': {'expected': 'retained',
                                               'numbers': 'control_strength 0.3739; r_spread 1.649; '
                                                          'standard_slope +0.0001 [-0.0001, +0.0003]; '
                                                          'controlled_slope +0.0000 [-0.0000, +0.0001]; '
                                                          'controlled_excess +0.0000 [-0.0000, +0.0001]; '
                                                          'controlled_shape_excess +0.5097 [+0.0112, '
                                                          '+1.0081]; control_minus_standard -0.0000 '
                                                          '[-0.0002, +0.0001]; collapse_delta 1.727e-05; '
                                                          'final_loss_std 1.62; final_loss_ctrl 1.62; mde '
                                                          '7.789e-05; p 0.2214; seeds 3; accuracy_min 0.1875',
                                               'strict': 'not trained (held-out accuracy below 0.6)',
                                               'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_first_n_frozen[real-smollm2-135m]': {'expected': 'selected better',
                                            'numbers': 'selected '
                                                       '3-10-12-19-20-21-22-23-24-25-26-27-28-29-30; '
                                                       'n_frozen 15; selected_minus_first_n -0.0767 '
                                                       '[-0.0891, -0.0643]; selected_minus_all_blocks '
                                                       '-0.0016 [-0.0159, +0.0127]; first_n_minus_all_blocks '
                                                       '+0.0751 [+0.0673, +0.0829]; heldout_all_blocks '
                                                       '3.671; heldout_selected 3.669; heldout_first_n '
                                                       '3.746; selected_trainable_frac 0.5; '
                                                       'selected_backward_frac 0.7261; '
                                                       'first_n_trainable_frac 0.5; first_n_backward_frac '
                                                       '0.4997; lr all_blocks 0.0001, selected 0.0003, '
                                                       'first_n 0.0003; mde 0.01542; p 0.001401; seeds 3; '
                                                       'further_from_doubling 0.2595',
                                            'strict': '',
                                            'verdict': 'not levelled off (twice the steps still lower the '
                                                       'held-out loss: train longer)'},
 'test_first_n_frozen[tiny-tiny-gpt2-64]': {'expected': 'selected better',
                                            'numbers': 'selected 1-2-4; n_frozen 3; selected_minus_first_n '
                                                       '+0.0045 [-0.0055, +0.0145]; '
                                                       'selected_minus_all_blocks +0.0113 [-0.0020, '
                                                       '+0.0246]; first_n_minus_all_blocks +0.0068 [-0.0058, '
                                                       '+0.0194]; heldout_all_blocks 5.902; heldout_selected '
                                                       '5.914; heldout_first_n 5.909; '
                                                       'selected_trainable_frac 0.5; selected_backward_frac '
                                                       '0.9041; first_n_trainable_frac 0.5; '
                                                       'first_n_backward_frac 0.6678; lr all_blocks 0.001, '
                                                       'selected 0.003, first_n 0.003; mde 0.01248; p '
                                                       '0.1938; seeds 3; further_from_doubling 0.4807',
                                            'strict': '',
                                            'verdict': 'not levelled off (twice the steps still lower the '
                                                       'held-out loss: train longer)'},
 'test_first_n_frozen[tiny-tiny-llama-64]': {'expected': 'selected better',
                                             'numbers': 'selected 1-4-6; n_frozen 3; selected_minus_first_n '
                                                        '-0.0002 [-0.0164, +0.0159]; '
                                                        'selected_minus_all_blocks +0.0022 [-0.0117, '
                                                        '+0.0161]; first_n_minus_all_blocks +0.0024 '
                                                        '[-0.0170, +0.0219]; heldout_all_blocks 5.725; '
                                                        'heldout_selected 5.727; heldout_first_n 5.727; '
                                                        'selected_trainable_frac 0.5; selected_backward_frac '
                                                        '0.8419; first_n_trainable_frac 0.5; '
                                                        'first_n_backward_frac 0.6154; lr all_blocks 0.001, '
                                                        'selected 0.003, first_n 0.003; mde 0.02015; p '
                                                        '0.959; seeds 3; further_from_doubling 0.573',
                                             'strict': '',
                                             'verdict': 'not levelled off (twice the steps still lower the '
                                                        'held-out loss: train longer)'},
 'test_knowledge_retention[real-smollm2-135m]': {'expected': 'train first half best',
                                                 'numbers': 'old_first_minus_all_blocks +0.0615 [-0.0270, '
                                                            '+0.1500]; old_first_minus_second +0.0255 '
                                                            '[-0.1120, +0.1630]; forgetting_all_blocks '
                                                            '-0.2079; forgetting_first_half -0.1464; '
                                                            'forgetting_second_half -0.172; gain_all_blocks '
                                                            '0.312; gain_first_half 0.312; gain_second_half '
                                                            '0.2369; old_before 4.249; mde 0.1714; p 0.5084; '
                                                            'seeds 3; further_from_doubling 0.2595',
                                                 'strict': '',
                                                 'verdict': 'not levelled off (twice the steps still lower '
                                                            'the held-out loss: train longer)'},
 'test_knowledge_retention[tiny-tiny-gpt2-64]': {'expected': 'train first half best',
                                                 'numbers': 'old_first_minus_all_blocks -0.0108 [-0.0190, '
                                                            '-0.0026]; old_first_minus_second -0.0168 '
                                                            '[-0.0279, -0.0057]; forgetting_all_blocks '
                                                            '0.04931; forgetting_first_half 0.03852; '
                                                            'forgetting_second_half 0.05535; gain_all_blocks '
                                                            '0.04192; gain_first_half 0.03248; '
                                                            'gain_second_half 0.03512; old_before 5.769; mde '
                                                            '0.01382; p 0.02981; seeds 3; '
                                                            'further_from_doubling 0.4807',
                                                 'strict': '',
                                                 'verdict': 'not levelled off (twice the steps still lower '
                                                            'the held-out loss: train longer)'},
 'test_knowledge_retention[tiny-tiny-llama-64]': {'expected': 'train first half best',
                                                  'numbers': 'old_first_minus_all_blocks +0.0299 [+0.0091, '
                                                             '+0.0507]; old_first_minus_second +0.0163 '
                                                             '[-0.0333, +0.0659]; forgetting_all_blocks '
                                                             '0.04803; forgetting_first_half 0.07789; '
                                                             'forgetting_second_half 0.06158; '
                                                             'gain_all_blocks 0.05088; gain_first_half '
                                                             '0.0376; gain_second_half 0.04843; old_before '
                                                             '5.549; mde 0.06185; p 0.2929; seeds 3; '
                                                             'further_from_doubling 0.573',
                                                  'strict': '',
                                                  'verdict': 'not levelled off (twice the steps still lower '
                                                             'the held-out loss: train longer)'},
 'test_layer_diagnostics[real-smollm2-135m]': {'expected': 'reproduced',
                                               'numbers': 'ls_first_minus_second_half +0.0032 [-0.0016, '
                                                          '+0.0081]; ls_slope -0.0026 [-0.0137, +0.0084]; ls '
                                                          '[0.0121 0.0122 0.0169 0.0104 0.00732 0.00779 '
                                                          '0.00461 0.00525 0.00642 0.00587 0.00534 0.0318 '
                                                          '0.00578 0.00646 0.00789 0.00446 0.00448 0.00328 '
                                                          '0.0038 0.00543 0.00344 0.00426 0.0047 0.0064 '
                                                          '0.0109 0.00288 0.00274 0.0048 0.00749 0.0287]; tp '
                                                          '[0.077 0.030 0.043 0.034 0.038 0.055 0.043 0.047 '
                                                          '0.068 0.055 0.055 0.077 0.089 0.089 0.085 0.102 '
                                                          '0.102 0.085 0.089 0.106 0.145 0.128 0.174 0.191 '
                                                          '0.213 0.230 0.234 0.238 0.272 0.370]; '
                                                          'tp_onset_depth 0.8621; eps 0.05; mde 0.006185; p '
                                                          '0.1124; seeds 3',
                                               'strict': '',
                                               'verdict': 'LS inconclusive (underpowered: more probe '
                                                          'sequences), TP deep'},
 'test_layer_diagnostics[tiny-tiny-gpt2-64]': {'expected': 'reproduced',
                                               'fragile': 'other numerics: LS inconclusive (underpowered: ~5 '
                                                          'seeds), TP not deep / - '
                                                          '(ls_first_minus_second_half +0.0002 [-0.0001, '
                                                          '+0.0005]; ls_slope -0.0004 [-0.0010, +0.0002]; ls '
                                                          '[0.000811 3.52e-05 3.39e-05 2.39e-05 2.51e-05 '
                                                          '0.000259]; tp [0.081 0.095 0.116 0.119 0.115 '
                                                          '0.121]; tp_onset_depth 0.4; eps 0.05; mde '
                                                          '0.0003404; p 0.09551; seeds 3); other numerics: '
                                                          'reproduced / - (ls_first_minus_second_half '
                                                          '+0.0002 [+0.0001, +0.0004]; ls_slope -0.0005 '
                                                          '[-0.0009, -0.0002]; ls [0.000883 3.58e-05 '
                                                          '3.94e-05 2.85e-05 2.58e-05 0.000172]; tp [0.088 '
                                                          '0.093 0.108 0.126 0.119 0.133]; tp_onset_depth '
                                                          '0.6; eps 0.05; mde 0.0002153; p 0.0254; seeds 3)',
                                               'numbers': 'ls_first_minus_second_half +0.0002 [+0.0000, '
                                                          '+0.0004]; ls_slope -0.0004 [-0.0009, -0.0000]; ls '
                                                          '[0.000771 4.44e-05 3.25e-05 3.55e-05 2.45e-05 '
                                                          '0.000169]; tp [0.086 0.092 0.116 0.121 0.120 '
                                                          '0.124]; tp_onset_depth 0.4; eps 0.05; mde '
                                                          '0.0002495; p 0.04682; seeds 3',
                                               'strict': '',
                                               'verdict': 'LS shallow, TP not deep'},
 'test_layer_diagnostics[tiny-tiny-llama-64]': {'expected': 'reproduced',
                                                'fragile': 'other numerics: reproduced / - '
                                                           '(ls_first_minus_second_half +0.0003 [+0.0000, '
                                                           '+0.0005]; ls_slope -0.0006 [-0.0010, -0.0001]; '
                                                           'ls [0.00105 0.000116 3.54e-05 3.39e-05 4.97e-05 '
                                                           '0.000305]; tp [0.082 0.103 0.106 0.124 0.140 '
                                                           '0.156]; tp_onset_depth 0.6; eps 0.05; mde '
                                                           '0.0002867; p 0.03625; seeds 3); other numerics: '
                                                           'LS shallow, TP not deep / - '
                                                           '(ls_first_minus_second_half +0.0003 [+0.0002, '
                                                           '+0.0004]; ls_slope -0.0006 [-0.0009, -0.0003]; '
                                                           'ls [0.00111 0.000115 2.24e-05 3.71e-05 5.81e-05 '
                                                           '0.000315]; tp [0.075 0.105 0.123 0.123 0.130 '
                                                           '0.149]; tp_onset_depth 0.4; eps 0.05; mde '
                                                           '0.0001655; p 0.009817; seeds 3)',
                                                'numbers': 'ls_first_minus_second_half +0.0003 [-0.0002, '
                                                           '+0.0007]; ls_slope -0.0006 [-0.0016, +0.0004]; '
                                                           'ls [0.00114 6.5e-05 2.81e-05 7.37e-05 3.28e-05 '
                                                           '0.000296]; tp [0.084 0.106 0.115 0.123 0.135 '
                                                           '0.161]; tp_onset_depth 0.6; eps 0.05; mde '
                                                           '0.000572; p 0.1214; seeds 3',
                                                'strict': '',
                                                'verdict': 'LS inconclusive (underpowered: ~6 seeds), TP '
                                                           'deep'},
 'test_levelled_off[real-smollm2-135m]': {'expected': '',
                                          'numbers': 'drop 0.312; drop_doubled 0.3929; further_from_doubling '
                                                     '0.2595; heldout_before 3.982; steps 16; seeds 3',
                                          'strict': '',
                                          'verdict': 'not levelled off (train longer)'},
 'test_levelled_off[tiny-tiny-gpt2-64]': {'expected': '',
                                          'numbers': 'drop 0.04192; drop_doubled 0.06207; '
                                                     'further_from_doubling 0.4807; heldout_before 5.944; '
                                                     'steps 40; seeds 3',
                                          'strict': '',
                                          'verdict': 'not levelled off (train longer)'},
 'test_levelled_off[tiny-tiny-llama-64]': {'expected': '',
                                           'numbers': 'drop 0.05088; drop_doubled 0.08003; '
                                                      'further_from_doubling 0.573; heldout_before 5.775; '
                                                      'steps 40; seeds 3',
                                           'strict': '',
                                           'verdict': 'not levelled off (train longer)'},
 'test_local_vs_propagated[real-minilm-cls]': {'expected': '',
                                               'numbers': 'local_slope +0.0004 [+0.0000, +0.0007]; '
                                                          'local_rel_slope +1.0471 [+0.4719, +1.6224]; '
                                                          'propagated_slope +0.0165 [+0.0131, +0.0198]; '
                                                          'last_local_share +0.0354 [+0.0182, +0.0526]; '
                                                          'last_over_local_sum 9.029; mde 0.0004181; p '
                                                          '0.0387; seeds 3; accuracy_min 0.3125',
                                               'strict': 'not trained (held-out accuracy below 0.6)',
                                               'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_local_vs_propagated[real-minilm-mlm]': {'expected': '',
                                               'numbers': 'local_slope +0.0079 [+0.0070, +0.0088]; '
                                                          'local_rel_slope +2.5348 [+2.4003, +2.6693]; '
                                                          'propagated_slope +0.1549 [+0.1153, +0.1944]; '
                                                          'last_local_share +0.0618 [+0.0473, +0.0763]; '
                                                          'last_over_local_sum 10.69; mde 0.001173; p '
                                                          '0.0003872; seeds 3',
                                               'strict': 'mostly propagated',
                                               'verdict': 'learned near the output'},
 'test_local_vs_propagated[real-smollm2-135m-clm]': {'expected': '',
                                                     'numbers': 'local_slope -0.0003 [-0.0004, -0.0001]; '
                                                                'local_rel_slope -1.1982 [-1.8158, -0.5807]; '
                                                                'propagated_slope +0.0367 [+0.0277, '
                                                                '+0.0456]; last_local_share +0.0089 '
                                                                '[+0.0069, +0.0109]; last_over_local_sum '
                                                                '7.917; mde 0.0001673; p 0.01379; seeds 3',
                                                     'strict': 'accumulated, not learned near the output',
                                                     'verdict': 'accumulated, not learned near the output'},
 'test_local_vs_propagated[tiny-minilm-cls]': {'expected': '',
                                               'numbers': 'local_slope +0.0007 [+0.0005, +0.0010]; '
                                                          'local_rel_slope +0.3872 [+0.3143, +0.4601]; '
                                                          'propagated_slope +0.1029 [+0.0664, +0.1393]; '
                                                          'last_local_share +0.0170 [+0.0108, +0.0232]; '
                                                          'last_over_local_sum 9.997; mde 0.000329; p '
                                                          '0.005344; seeds 3; accuracy_min 0.8281',
                                               'strict': 'mostly propagated',
                                               'verdict': 'learned near the output'},
 'test_local_vs_propagated[tiny-minilm-mlm]': {'expected': '',
                                               'numbers': 'local_slope +0.0230 [+0.0202, +0.0258]; '
                                                          'local_rel_slope +2.6050 [+2.4663, +2.7436]; '
                                                          'propagated_slope +0.3380 [+0.2661, +0.4099]; '
                                                          'last_local_share +0.0811 [+0.0576, +0.1046]; '
                                                          'last_over_local_sum 8.107; mde 0.003544; p '
                                                          '0.0007415; seeds 3',
                                               'strict': 'mostly propagated',
                                               'verdict': 'learned near the output'},
 'test_local_vs_propagated[tiny-tiny-bert-64-cls]': {'expected': '',
                                                     'numbers': 'local_slope -0.0003 [-0.0004, -0.0002]; '
                                                                'local_rel_slope -0.7644 [-0.8734, -0.6553]; '
                                                                'propagated_slope +0.0064 [-0.0001, '
                                                                '+0.0128]; last_local_share +0.0497 '
                                                                '[+0.0405, +0.0589]; last_over_local_sum '
                                                                '3.193; mde 0.000184; p 0.0127; seeds 3; '
                                                                'accuracy_min 0.1875',
                                                     'strict': 'not trained (held-out accuracy below 0.6)',
                                                     'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_local_vs_propagated[tiny-tiny-bert-64-mlm]': {'expected': '',
                                                     'numbers': 'local_slope -0.0041 [-0.0079, -0.0003]; '
                                                                'local_rel_slope -1.7162 [-3.0379, -0.3946]; '
                                                                'propagated_slope +0.0188 [+0.0152, '
                                                                '+0.0225]; last_local_share +0.0498 '
                                                                '[+0.0086, +0.0910]; last_over_local_sum '
                                                                '2.067; mde 0.004715; p 0.04324; seeds 3',
                                                     'strict': 'accumulated, not learned near the output',
                                                     'verdict': 'accumulated, not learned near the output'},
 'test_local_vs_propagated[tiny-tiny-codegen-64-clm]': {'expected': '',
                                                        'numbers': 'local_slope -0.0032 [-0.0037, -0.0026]; '
                                                                   'local_rel_slope -2.1511 [-2.4173, '
                                                                   '-1.8850]; propagated_slope +0.0158 '
                                                                   '[+0.0132, +0.0184]; last_local_share '
                                                                   '+0.0233 [+0.0104, +0.0361]; '
                                                                   'last_over_local_sum 2.732; mde '
                                                                   '0.0006925; p 0.001613; seeds 3',
                                                        'strict': 'accumulated, not learned near the output',
                                                        'verdict': 'accumulated, not learned near the '
                                                                   'output'},
 'test_local_vs_propagated[tiny-tiny-codegen-64-cls]': {'expected': '',
                                                        'numbers': 'local_slope -0.0075 [-0.0155, +0.0005]; '
                                                                   'local_rel_slope -2.4718 [-3.5918, '
                                                                   '-1.3518]; propagated_slope +0.0353 '
                                                                   '[+0.0281, +0.0424]; last_local_share '
                                                                   '+0.0219 [+0.0083, +0.0354]; '
                                                                   'last_over_local_sum 2.833; mde 0.009949; '
                                                                   'p 0.05603; seeds 3; accuracy_min 0.2188',
                                                        'strict': 'not trained (held-out accuracy below 0.6)',
                                                        'verdict': 'not trained (held-out accuracy below '
                                                                   '0.6)'},
 'test_local_vs_propagated[tiny-tiny-gpt2-64-clm]': {'expected': '',
                                                     'numbers': 'local_slope -0.0039 [-0.0050, -0.0028]; '
                                                                'local_rel_slope -1.8908 [-2.2763, -1.5053]; '
                                                                'propagated_slope +0.0234 [+0.0163, '
                                                                '+0.0305]; last_local_share +0.0202 '
                                                                '[+0.0161, +0.0243]; last_over_local_sum '
                                                                '2.72; mde 0.001381; p 0.004102; seeds 3',
                                                     'strict': 'accumulated, not learned near the output',
                                                     'verdict': 'accumulated, not learned near the output'},
 'test_local_vs_propagated[tiny-tiny-gpt2-64-cls]': {'expected': '',
                                                     'numbers': 'local_slope -0.0686 [-0.0962, -0.0410]; '
                                                                'local_rel_slope -3.6820 [-4.5094, -2.8546]; '
                                                                'propagated_slope +0.1392 [-0.0257, '
                                                                '+0.3042]; last_local_share +0.0051 '
                                                                '[+0.0041, +0.0060]; last_over_local_sum '
                                                                '2.26; mde 0.03471; p 0.008416; seeds 3; '
                                                                'accuracy_min 0.2031',
                                                     'strict': 'not trained (held-out accuracy below 0.6)',
                                                     'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_local_vs_propagated[tiny-tiny-gptj-64-clm]': {'expected': '',
                                                     'numbers': 'local_slope -0.0033 [-0.0039, -0.0027]; '
                                                                'local_rel_slope -2.2215 [-2.5183, -1.9247]; '
                                                                'propagated_slope +0.0163 [+0.0154, '
                                                                '+0.0172]; last_local_share +0.0246 '
                                                                '[+0.0109, +0.0382]; last_over_local_sum '
                                                                '2.79; mde 0.0007793; p 0.001933; seeds 3',
                                                     'strict': 'accumulated, not learned near the output',
                                                     'verdict': 'accumulated, not learned near the output'},
 'test_local_vs_propagated[tiny-tiny-gptj-64-cls]': {'expected': '',
                                                     'numbers': 'local_slope -0.0094 [-0.0135, -0.0052]; '
                                                                'local_rel_slope -2.6311 [-2.9591, -2.3031]; '
                                                                'propagated_slope +0.0401 [+0.0169, '
                                                                '+0.0634]; last_local_share +0.0205 '
                                                                '[-0.0054, +0.0463]; last_over_local_sum '
                                                                '2.814; mde 0.005158; p 0.01035; seeds 3; '
                                                                'accuracy_min 0.1875',
                                                     'strict': 'not trained (held-out accuracy below 0.6)',
                                                     'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_local_vs_propagated[tiny-tiny-llama-64-clm]': {'expected': '',
                                                      'numbers': 'local_slope -0.0055 [-0.0077, -0.0034]; '
                                                                 'local_rel_slope -1.7876 [-2.2707, '
                                                                 '-1.3046]; propagated_slope +0.0212 '
                                                                 '[+0.0182, +0.0242]; last_local_share '
                                                                 '+0.0707 [+0.0361, +0.1054]; '
                                                                 'last_over_local_sum 1.912; mde 0.002679; p '
                                                                 '0.007897; seeds 3',
                                                      'strict': 'accumulated, not learned near the output',
                                                      'verdict': 'accumulated, not learned near the output'},
 'test_local_vs_propagated[tiny-tiny-llama-64-cls]': {'expected': '',
                                                      'numbers': 'local_slope -0.0550 [-0.1201, +0.0101]; '
                                                                 'local_rel_slope -3.3954 [-4.6394, '
                                                                 '-2.1515]; propagated_slope +0.1283 '
                                                                 '[-0.0103, +0.2669]; last_local_share '
                                                                 '+0.0185 [-0.0305, +0.0674]; '
                                                                 'last_over_local_sum 2.14; mde 0.08121; p '
                                                                 '0.06808; seeds 3; accuracy_min 0.2188',
                                                      'strict': 'not trained (held-out accuracy below 0.6)',
                                                      'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_local_vs_propagated[tiny-tiny-mamba2-64-clm]': {'expected': '',
                                                       'numbers': 'local_slope -0.0040 [-0.0043, -0.0037]; '
                                                                  'local_rel_slope -2.1617 [-2.4729, '
                                                                  '-1.8505]; propagated_slope +0.0102 '
                                                                  '[+0.0062, +0.0143]; last_local_share '
                                                                  '+0.0170 [+0.0116, +0.0223]; '
                                                                  'last_over_local_sum 1.97; mde 0.0004227; '
                                                                  'p 0.0001771; seeds 3',
                                                       'strict': 'accumulated, not learned near the output',
                                                       'verdict': 'accumulated, not learned near the output'},
 'test_local_vs_propagated[tiny-tiny-mamba2-64-cls]': {'expected': '',
                                                       'numbers': 'local_slope -0.0048 [-0.0061, -0.0035]; '
                                                                  'local_rel_slope -2.4536 [-3.2633, '
                                                                  '-1.6439]; propagated_slope +0.0101 '
                                                                  '[+0.0011, +0.0191]; last_local_share '
                                                                  '+0.0101 [+0.0093, +0.0110]; '
                                                                  'last_over_local_sum 1.635; mde 0.001648; '
                                                                  'p 0.003992; seeds 3; accuracy_min 0.2344',
                                                       'strict': 'not trained (held-out accuracy below 0.6)',
                                                       'verdict': 'not trained (held-out accuracy below '
                                                                  '0.6)'},
 'test_local_vs_propagated[tiny-tiny-neox-64-clm]': {'expected': '',
                                                     'numbers': 'local_slope -0.0042 [-0.0053, -0.0032]; '
                                                                'local_rel_slope -2.6826 [-3.2826, -2.0826]; '
                                                                'propagated_slope +0.0149 [+0.0106, '
                                                                '+0.0191]; last_local_share +0.0131 '
                                                                '[+0.0060, +0.0201]; last_over_local_sum '
                                                                '2.615; mde 0.001321; p 0.00338; seeds 3',
                                                     'strict': 'accumulated, not learned near the output',
                                                     'verdict': 'accumulated, not learned near the output'},
 'test_local_vs_propagated[tiny-tiny-neox-64-cls]': {'expected': '',
                                                     'numbers': 'local_slope -0.0068 [-0.0194, +0.0057]; '
                                                                'local_rel_slope -2.5144 [-4.3041, -0.7247]; '
                                                                'propagated_slope +0.0284 [-0.0088, '
                                                                '+0.0657]; last_local_share +0.0191 '
                                                                '[-0.0145, +0.0528]; last_over_local_sum '
                                                                '2.674; mde 0.01568; p 0.1442; seeds 3; '
                                                                'accuracy_min 0.2031',
                                                     'strict': 'not trained (held-out accuracy below 0.6)',
                                                     'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_local_vs_propagated[tiny-tiny-opt-64-clm]': {'expected': '',
                                                    'numbers': 'local_slope -0.0060 [-0.0081, -0.0038]; '
                                                               'local_rel_slope -2.4689 [-2.6263, -2.3116]; '
                                                               'propagated_slope +0.0171 [+0.0083, +0.0260]; '
                                                               'last_local_share +0.0141 [+0.0062, +0.0221]; '
                                                               'last_over_local_sum 2.067; mde 0.002701; p '
                                                               '0.00695; seeds 3',
                                                    'strict': 'accumulated, not learned near the output',
                                                    'verdict': 'accumulated, not learned near the output'},
 'test_local_vs_propagated[tiny-tiny-opt-64-cls]': {'expected': '',
                                                    'numbers': 'local_slope -0.0652 [-0.1210, -0.0094]; '
                                                               'local_rel_slope -3.6775 [-3.9380, -3.4171]; '
                                                               'propagated_slope +0.1419 [-0.0176, +0.3015]; '
                                                               'last_local_share +0.0045 [+0.0005, +0.0084]; '
                                                               'last_over_local_sum 2.349; mde 0.06957; p '
                                                               '0.03729; seeds 3; accuracy_min 0.2031',
                                                    'strict': 'not trained (held-out accuracy below 0.6)',
                                                    'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_local_vs_propagated[tiny-tiny-rwkv-64-clm]': {'expected': '',
                                                     'numbers': 'local_slope -0.0014 [-0.0017, -0.0010]; '
                                                                'local_rel_slope -1.2983 [-1.5698, -1.0268]; '
                                                                'propagated_slope +0.0145 [+0.0106, '
                                                                '+0.0184]; last_local_share +0.0306 '
                                                                '[+0.0183, +0.0429]; last_over_local_sum '
                                                                '4.249; mde 0.0004578; p 0.003733; seeds 3',
                                                     'strict': 'accumulated, not learned near the output',
                                                     'verdict': 'accumulated, not learned near the output'},
 'test_local_vs_propagated[tiny-tiny-rwkv-64-cls]': {'expected': '',
                                                     'numbers': 'local_slope -0.0039 [-0.0070, -0.0008]; '
                                                                'local_rel_slope -2.2295 [-2.8740, -1.5850]; '
                                                                'propagated_slope +0.0300 [+0.0083, '
                                                                '+0.0516]; last_local_share +0.0100 '
                                                                '[+0.0036, +0.0165]; last_over_local_sum '
                                                                '4.23; mde 0.003917; p 0.03334; seeds 3; '
                                                                'accuracy_min 0.2344',
                                                     'strict': 'not trained (held-out accuracy below 0.6)',
                                                     'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_lora_locus[real-smollm2-135m]': {'expected': 'shape agrees',
                                        'numbers': 'min_pairwise_spearman 0.1368; rel_slope_absmean '
                                                   '-0.02634; argmax_depth 0.2414; runs 8; seeds 8; '
                                                   'mean_pairwise_spearman 0.5392; agreement_z +0.6233 '
                                                   '[+0.4807, +0.7659]; mde 0.1966; p 1.722e-05',
                                        'strict': '',
                                        'verdict': 'shape agrees'},
 'test_lora_locus[tiny-tiny-gpt2-64]': {'expected': 'shape agrees',
                                        'fragile': 'other numerics: inconclusive (underpowered: ~15 seeds) / '
                                                   '- (min_pairwise_spearman -0.1429; rel_slope_absmean '
                                                   '0.19; argmax_depth 1; runs 8; seeds 8; '
                                                   'mean_pairwise_spearman 0.4245; agreement_z +0.5564 '
                                                   '[-0.0187, +1.1314]; mde 0.7929; p 0.05598); other '
                                                   'numerics: inconclusive (underpowered: ~15 seeds) / - '
                                                   '(min_pairwise_spearman -0.6571; rel_slope_absmean '
                                                   '0.1919; argmax_depth 1; runs 8; seeds 8; '
                                                   'mean_pairwise_spearman 0.3265; agreement_z +0.4368 '
                                                   '[-0.0173, +0.8909]; mde 0.6261; p 0.05709); other '
                                                   'numerics: inconclusive (underpowered: ~14 seeds) / - '
                                                   '(min_pairwise_spearman -0.5429; rel_slope_absmean '
                                                   '0.3156; argmax_depth 1; runs 8; seeds 8; '
                                                   'mean_pairwise_spearman 0.4347; agreement_z +0.5854 '
                                                   '[-0.0073, +1.1782]; mde 0.8173; p 0.05219)',
                                        'numbers': 'min_pairwise_spearman -0.2; rel_slope_absmean 0.224; '
                                                   'argmax_depth 1; runs 8; seeds 8; mean_pairwise_spearman '
                                                   '0.4959; agreement_z +0.6774 [+0.0461, +1.3088]; mde '
                                                   '0.8706; p 0.03882',
                                        'strict': '',
                                        'verdict': 'shape agrees'},
 'test_lora_locus[tiny-tiny-llama-64]': {'expected': 'shape agrees',
                                         'numbers': 'min_pairwise_spearman 0.02857; rel_slope_absmean '
                                                    '0.1014; argmax_depth 1; runs 8; seeds 8; '
                                                    'mean_pairwise_spearman 0.5061; agreement_z +0.6482 '
                                                    '[+0.2328, +1.0636]; mde 0.5728; p 0.007759',
                                         'strict': '',
                                         'verdict': 'shape agrees'},
 'test_lora_locus[tiny-tiny-neox-64]': {'expected': 'shape agrees',
                                        'numbers': 'min_pairwise_spearman -0.8857; rel_slope_absmean '
                                                   '-0.05766; argmax_depth 0; runs 8; seeds 8; '
                                                   'mean_pairwise_spearman 0.06735; agreement_z +0.0698 '
                                                   '[-0.3459, +0.4856]; mde 0.5733; p 0.7031',
                                        'strict': '',
                                        'verdict': 'inconclusive (underpowered: ~401 seeds)'},
 'test_lora_predicts_full[real-smollm2-135m]': {'expected': 'reproduced',
                                                'numbers': 'spearman_BA~dW_adapted +0.4192 [+0.3338, '
                                                           '+0.5046]; spearman_BA~dW +0.4088 [+0.3320, '
                                                           '+0.4857]; spearman_BA~rel_update +0.3480 '
                                                           '[+0.2547, +0.4413]; spearman_BA~delta -0.1423 '
                                                           '[-0.2811, -0.0035]; spearman_A~dW_adapted '
                                                           '+0.1638 [+0.0257, +0.3019]; spearman_A~dW '
                                                           '+0.1432 [+0.0102, +0.2761]; '
                                                           'spearman_A~rel_update +0.3300 [+0.2280, '
                                                           '+0.4320]; spearman_A~delta +0.0338 [-0.0952, '
                                                           '+0.1628]; spearman_B~dW_adapted +0.6043 '
                                                           '[+0.5173, +0.6914]; spearman_B~dW +0.5712 '
                                                           '[+0.4919, +0.6505]; spearman_B~rel_update '
                                                           '+0.4266 [+0.2901, +0.5631]; spearman_B~delta '
                                                           '-0.3225 [-0.5307, -0.1143]; '
                                                           'BA~dW_adapted_per_seed [+0.232 +0.378 +0.475 '
                                                           '+0.450 +0.422 +0.335 +0.527 +0.534]; '
                                                           'depth~dW_adapted 0.5266; '
                                                           'BA~dW_adapted_minus_depth -0.1074 [-0.3458, '
                                                           '+0.1310]; full~full 0.5121; top_half_lora '
                                                           '3-4-5-6-7-8-9-10-12-16-20-21-22-24-25; '
                                                           'top_half_full '
                                                           '1-2-3-4-5-6-7-8-9-10-11-12-13-20-29; '
                                                           'top_half_overlap 0.6667; mde 0.3288; p 0.3222; '
                                                           'seeds 8',
                                                'strict': 'not reproduced (BA~delta -, over depth ?)',
                                                'verdict': 'inconclusive (underpowered: ~58 seeds)'},
 'test_lora_predicts_full[tiny-tiny-gpt2-64]': {'expected': 'reproduced',
                                                'numbers': 'spearman_BA~dW_adapted +0.5143 [+0.2322, '
                                                           '+0.7963]; spearman_BA~dW +0.3357 [+0.0469, '
                                                           '+0.6245]; spearman_BA~rel_update +0.3714 '
                                                           '[+0.1212, +0.6216]; spearman_BA~delta +0.6929 '
                                                           '[+0.5878, +0.7979]; spearman_A~dW_adapted '
                                                           '+0.4214 [-0.0031, +0.8460]; spearman_A~dW '
                                                           '+0.3714 [+0.1430, +0.5998]; '
                                                           'spearman_A~rel_update +0.4143 [+0.2271, '
                                                           '+0.6015]; spearman_A~delta +0.6071 [+0.3352, '
                                                           '+0.8791]; spearman_B~dW_adapted +0.5500 '
                                                           '[+0.3434, +0.7566]; spearman_B~dW +0.3571 '
                                                           '[+0.1501, +0.5642]; spearman_B~rel_update '
                                                           '+0.4071 [+0.2418, +0.5725]; spearman_B~delta '
                                                           '+0.7571 [+0.6301, +0.8842]; '
                                                           'BA~dW_adapted_per_seed [+0.257 +0.200 +0.314 '
                                                           '+0.657 +0.771 +0.886 +0.086 +0.943]; '
                                                           'depth~dW_adapted 0.6071; '
                                                           'BA~dW_adapted_minus_depth -0.0929 [-0.3884, '
                                                           '+0.2027]; full~full 0.5408; top_half_lora 4-5-6; '
                                                           'top_half_full 3-4-6; top_half_overlap 0.6667; '
                                                           'mde 0.4075; p 0.4817; seeds 8',
                                                'strict': 'not reproduced (A~dW_adapted ?, over depth ?)',
                                                'verdict': 'inconclusive (underpowered: ~116 seeds)'},
 'test_lora_predicts_full[tiny-tiny-llama-64]': {'expected': 'reproduced',
                                                 'numbers': 'spearman_BA~dW_adapted +0.1857 [-0.0693, '
                                                            '+0.4408]; spearman_BA~dW +0.2786 [+0.0546, '
                                                            '+0.5026]; spearman_BA~rel_update -0.0643 '
                                                            '[-0.3345, +0.2059]; spearman_BA~delta +0.4214 '
                                                            '[+0.1967, +0.6461]; spearman_A~dW_adapted '
                                                            '+0.5429 [+0.2678, +0.8179]; spearman_A~dW '
                                                            '+0.4929 [+0.0961, +0.8896]; '
                                                            'spearman_A~rel_update -0.0429 [-0.4599, '
                                                            '+0.3742]; spearman_A~delta +0.4071 [+0.0543, '
                                                            '+0.7600]; spearman_B~dW_adapted +0.2429 '
                                                            '[+0.0592, +0.4266]; spearman_B~dW +0.3857 '
                                                            '[+0.1452, +0.6263]; spearman_B~rel_update '
                                                            '+0.0214 [-0.2657, +0.3086]; spearman_B~delta '
                                                            '+0.5071 [+0.3418, +0.6725]; '
                                                            'BA~dW_adapted_per_seed [-0.029 +0.371 +0.429 '
                                                            '-0.257 +0.143 +0.029 +0.086 +0.714]; '
                                                            'depth~dW_adapted 0.5; BA~dW_adapted_minus_depth '
                                                            '-0.3143 [-0.7237, +0.0951]; full~full 0.3041; '
                                                            'top_half_lora 2-3-6; top_half_full 1-5-6; '
                                                            'top_half_overlap 0.3333; mde 0.5645; p 0.1288; '
                                                            'seeds 8',
                                                 'strict': 'not reproduced (BA~dW_adapted ?, over depth ?)',
                                                 'verdict': 'inconclusive (underpowered: ~22 seeds)'},
 'test_lora_predicts_full[tiny-tiny-neox-64]': {'expected': 'reproduced',
                                                'numbers': 'spearman_BA~dW_adapted +0.4143 [+0.1008, '
                                                           '+0.7278]; spearman_BA~dW +0.3786 [+0.0847, '
                                                           '+0.6724]; spearman_BA~rel_update +0.3214 '
                                                           '[+0.0309, +0.6119]; spearman_BA~delta +0.0429 '
                                                           '[-0.3080, +0.3937]; spearman_A~dW_adapted '
                                                           '+0.4214 [-0.0256, +0.8684]; spearman_A~dW '
                                                           '+0.3571 [+0.0244, +0.6898]; '
                                                           'spearman_A~rel_update +0.2214 [-0.0111, '
                                                           '+0.4540]; spearman_A~delta -0.1714 [-0.6282, '
                                                           '+0.2854]; spearman_B~dW_adapted +0.4714 '
                                                           '[+0.2582, +0.6847]; spearman_B~dW +0.4214 '
                                                           '[+0.2978, +0.5451]; spearman_B~rel_update '
                                                           '+0.3357 [+0.2082, +0.4632]; spearman_B~delta '
                                                           '+0.0286 [-0.3424, +0.3995]; '
                                                           'BA~dW_adapted_per_seed [+0.314 +0.257 +0.829 '
                                                           '+0.771 +0.771 +0.543 -0.029 -0.143]; '
                                                           'depth~dW_adapted 0.4071; '
                                                           'BA~dW_adapted_minus_depth +0.0071 [-0.4837, '
                                                           '+0.4980]; full~full 0.3959; top_half_lora 1-4-5; '
                                                           'top_half_full 3-4-5; top_half_overlap 0.6667; '
                                                           'mde 0.6768; p 0.9735; seeds 8',
                                                'strict': 'not reproduced (A~dW_adapted ?, BA~delta ?, over '
                                                          'depth ?)',
                                                'verdict': 'inconclusive (underpowered: > 1000 seeds)'},
 'test_output_proximal[real-minilm-cls]': {'expected': 'reproduced',
                                           'numbers': 'slope +0.0165 [+0.0131, +0.0198]; excess_slope '
                                                      '+0.0164 [+0.0131, +0.0198]; rel_slope +2.7365 '
                                                      '[+2.5885, +2.8845]; null_rel_slope +1.6393 [+1.4741, '
                                                      '+1.8044]; shape_excess +1.0972 [+0.8760, +1.3184]; '
                                                      'heldout_before 1.606; heldout_after 1.587; mde '
                                                      '0.004356; p 0.001663; seeds 3; accuracy_min 0.3125',
                                           'strict': 'not trained (held-out accuracy below 0.6)',
                                           'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_output_proximal[real-minilm-mlm]': {'expected': 'reproduced',
                                           'numbers': 'slope +0.1549 [+0.1153, +0.1944]; excess_slope '
                                                      '+0.1548 [+0.1153, +0.1943]; rel_slope +3.2320 '
                                                      '[+3.0880, +3.3760]; null_rel_slope +1.7432 [+1.6580, '
                                                      '+1.8284]; shape_excess +1.4888 [+1.2873, +1.6904]; '
                                                      'heldout_before 10.67; heldout_after 8.218; mde '
                                                      '0.04963; p 0.003367; seeds 3',
                                           'strict': 'steeper than null',
                                           'verdict': 'reproduced'},
 'test_output_proximal[real-smollm2-135m-clm]': {'expected': 'reproduced',
                                                 'numbers': 'slope +0.0367 [+0.0277, +0.0456]; excess_slope '
                                                            '+0.0364 [+0.0275, +0.0452]; rel_slope +1.7915 '
                                                            '[+1.5594, +2.0236]; null_rel_slope +1.3533 '
                                                            '[+0.5134, +2.1932]; shape_excess +0.4382 '
                                                            '[-0.3258, +1.2021]; heldout_before 3.896; '
                                                            'heldout_after 3.669; mde 0.01136; p 0.002864; '
                                                            'seeds 3',
                                                 'strict': 'larger than null, not steeper',
                                                 'verdict': 'reproduced'},
 'test_output_proximal[tiny-minilm-cls]': {'expected': 'reproduced',
                                           'numbers': 'slope +0.1029 [+0.0664, +0.1393]; excess_slope '
                                                      '+0.1028 [+0.0664, +0.1392]; rel_slope +2.4878 '
                                                      '[+2.3645, +2.6112]; null_rel_slope +1.8089 [+1.7063, '
                                                      '+1.9115]; shape_excess +0.6790 [+0.5197, +0.8382]; '
                                                      'heldout_before 1.609; heldout_after 1.457; mde '
                                                      '0.04618; p 0.006252; seeds 3; accuracy_min 0.8281',
                                           'strict': 'steeper than null',
                                           'verdict': 'reproduced'},
 'test_output_proximal[tiny-minilm-mlm]': {'expected': 'reproduced',
                                           'numbers': 'slope +0.3380 [+0.2661, +0.4099]; excess_slope '
                                                      '+0.3378 [+0.2659, +0.4098]; rel_slope +3.1519 '
                                                      '[+2.9924, +3.3113]; null_rel_slope +1.8850 [+1.7500, '
                                                      '+2.0200]; shape_excess +1.2669 [+1.0057, +1.5281]; '
                                                      'heldout_before 10.74; heldout_after 7.786; mde '
                                                      '0.08982; p 0.002413; seeds 3',
                                           'strict': 'steeper than null',
                                           'verdict': 'reproduced'},
 'test_output_proximal[tiny-tiny-bert-64-cls]': {'expected': 'reproduced',
                                                 'numbers': 'slope +0.0064 [-0.0001, +0.0128]; excess_slope '
                                                            '+0.0063 [-0.0001, +0.0128]; rel_slope +1.4408 '
                                                            '[+1.1664, +1.7152]; null_rel_slope +0.8846 '
                                                            '[+0.7620, +1.0073]; shape_excess +0.5562 '
                                                            '[+0.2153, +0.8970]; heldout_before 1.626; '
                                                            'heldout_after 1.608; mde 0.008035; p 0.05114; '
                                                            'seeds 3; accuracy_min 0.1875',
                                                 'strict': 'not trained (held-out accuracy below 0.6)',
                                                 'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_output_proximal[tiny-tiny-bert-64-mlm]': {'expected': 'reproduced',
                                                 'fragile': 'other numerics: reproduced / steeper than null '
                                                            '(slope +0.0245 [+0.0197, +0.0293]; excess_slope '
                                                            '+0.0241 [+0.0193, +0.0288]; rel_slope +1.0483 '
                                                            '[+0.9041, +1.1925]; null_rel_slope +0.6865 '
                                                            '[+0.6288, +0.7443]; shape_excess +0.3618 '
                                                            '[+0.1623, +0.5613]; heldout_before 6.411; '
                                                            'heldout_after 6.409; mde 0.005992; p 0.002065; '
                                                            'seeds 3)',
                                                 'numbers': 'slope +0.0188 [+0.0152, +0.0225]; excess_slope '
                                                            '+0.0185 [+0.0148, +0.0222]; rel_slope +0.8500 '
                                                            '[+0.6152, +1.0849]; null_rel_slope +0.6099 '
                                                            '[+0.5376, +0.6821]; shape_excess +0.2402 '
                                                            '[-0.0600, +0.5403]; heldout_before 6.419; '
                                                            'heldout_after 6.417; mde 0.00458; p 0.002028; '
                                                            'seeds 3',
                                                 'strict': 'larger than null, not steeper',
                                                 'verdict': 'reproduced'},
 'test_output_proximal[tiny-tiny-codegen-64-clm]': {'expected': 'reproduced',
                                                    'numbers': 'slope +0.0158 [+0.0132, +0.0184]; '
                                                               'excess_slope +0.0158 [+0.0131, +0.0184]; '
                                                               'rel_slope +0.9267 [+0.7571, +1.0962]; '
                                                               'null_rel_slope +0.2774 [+0.1698, +0.3849]; '
                                                               'shape_excess +0.6493 [+0.4590, +0.8396]; '
                                                               'heldout_before 5.696; heldout_after 5.557; '
                                                               'mde 0.003292; p 0.001458; seeds 3',
                                                    'strict': 'steeper than null',
                                                    'verdict': 'reproduced'},
 'test_output_proximal[tiny-tiny-codegen-64-cls]': {'expected': 'reproduced',
                                                    'numbers': 'slope +0.0353 [+0.0281, +0.0424]; '
                                                               'excess_slope +0.0352 [+0.0280, +0.0423]; '
                                                               'rel_slope +1.0181 [+0.3983, +1.6380]; '
                                                               'null_rel_slope +0.2815 [+0.1650, +0.3981]; '
                                                               'shape_excess +0.7366 [+0.2140, +1.2592]; '
                                                               'heldout_before 1.644; heldout_after 1.57; '
                                                               'mde 0.009033; p 0.00214; seeds 3; '
                                                               'accuracy_min 0.2188',
                                                    'strict': 'not trained (held-out accuracy below 0.6)',
                                                    'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_output_proximal[tiny-tiny-gpt2-64-clm]': {'expected': 'reproduced',
                                                 'numbers': 'slope +0.0234 [+0.0163, +0.0305]; excess_slope '
                                                            '+0.0232 [+0.0159, +0.0305]; rel_slope +1.0535 '
                                                            '[+0.8468, +1.2603]; null_rel_slope +0.4153 '
                                                            '[+0.2766, +0.5539]; shape_excess +0.6383 '
                                                            '[+0.5321, +0.7444]; heldout_before 5.902; '
                                                            'heldout_after 5.796; mde 0.008894; p 0.004857; '
                                                            'seeds 3',
                                                 'strict': 'steeper than null',
                                                 'verdict': 'reproduced'},
 'test_output_proximal[tiny-tiny-gpt2-64-cls]': {'expected': 'reproduced',
                                                 'numbers': 'slope +0.1392 [-0.0257, +0.3042]; excess_slope '
                                                            '+0.1388 [-0.0266, +0.3042]; rel_slope +0.6979 '
                                                            '[+0.0985, +1.2973]; null_rel_slope +0.3274 '
                                                            '[+0.2470, +0.4078]; shape_excess +0.3705 '
                                                            '[-0.1771, +0.9181]; heldout_before 1.622; '
                                                            'heldout_after 1.576; mde 0.2057; p 0.06818; '
                                                            'seeds 3; accuracy_min 0.2031',
                                                 'strict': 'not trained (held-out accuracy below 0.6)',
                                                 'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_output_proximal[tiny-tiny-gptj-64-clm]': {'expected': 'reproduced',
                                                 'numbers': 'slope +0.0163 [+0.0154, +0.0172]; excess_slope '
                                                            '+0.0162 [+0.0154, +0.0171]; rel_slope +0.9487 '
                                                            '[+0.8404, +1.0570]; null_rel_slope +0.3095 '
                                                            '[+0.0846, +0.5344]; shape_excess +0.6392 '
                                                            '[+0.4305, +0.8479]; heldout_before 5.724; '
                                                            'heldout_after 5.586; mde 0.001181; p 0.0001077; '
                                                            'seeds 3',
                                                 'strict': 'steeper than null',
                                                 'verdict': 'reproduced'},
 'test_output_proximal[tiny-tiny-gptj-64-cls]': {'expected': 'reproduced',
                                                 'numbers': 'slope +0.0401 [+0.0169, +0.0634]; excess_slope '
                                                            '+0.0400 [+0.0169, +0.0632]; rel_slope +0.9965 '
                                                            '[+0.9002, +1.0929]; null_rel_slope +0.2754 '
                                                            '[+0.0449, +0.5058]; shape_excess +0.7212 '
                                                            '[+0.5648, +0.8775]; heldout_before 1.641; '
                                                            'heldout_after 1.566; mde 0.02897; p 0.0176; '
                                                            'seeds 3; accuracy_min 0.1875',
                                                 'strict': 'not trained (held-out accuracy below 0.6)',
                                                 'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_output_proximal[tiny-tiny-llama-64-clm]': {'expected': 'reproduced',
                                                  'numbers': 'slope +0.0212 [+0.0182, +0.0242]; excess_slope '
                                                             '+0.0212 [+0.0181, +0.0243]; rel_slope +0.8755 '
                                                             '[+0.7852, +0.9657]; null_rel_slope +0.0149 '
                                                             '[-0.3086, +0.3383]; shape_excess +0.8606 '
                                                             '[+0.4574, +1.2638]; heldout_before 5.715; '
                                                             'heldout_after 5.601; mde 0.003801; p '
                                                             '0.0009598; seeds 3',
                                                  'strict': 'steeper than null',
                                                  'verdict': 'reproduced'},
 'test_output_proximal[tiny-tiny-llama-64-cls]': {'expected': 'reproduced',
                                                  'numbers': 'slope +0.1283 [-0.0103, +0.2669]; excess_slope '
                                                             '+0.1284 [-0.0103, +0.2670]; rel_slope +0.8582 '
                                                             '[+0.8030, +0.9133]; null_rel_slope -0.0322 '
                                                             '[-0.1972, +0.1328]; shape_excess +0.8904 '
                                                             '[+0.6931, +1.0877]; heldout_before 1.634; '
                                                             'heldout_after 1.552; mde 0.1729; p 0.05767; '
                                                             'seeds 3; accuracy_min 0.2188',
                                                  'strict': 'not trained (held-out accuracy below 0.6)',
                                                  'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_output_proximal[tiny-tiny-mamba2-64-clm]': {'expected': 'reproduced',
                                                   'numbers': 'slope +0.0102 [+0.0062, +0.0143]; '
                                                              'excess_slope +0.0107 [+0.0065, +0.0149]; '
                                                              'rel_slope +0.5754 [+0.4036, +0.7472]; '
                                                              'null_rel_slope -0.2178 [-0.4292, -0.0063]; '
                                                              'shape_excess +0.7932 [+0.4792, +1.1071]; '
                                                              'heldout_before 5.954; heldout_after 5.822; '
                                                              'mde 0.005036; p 0.008079; seeds 3',
                                                   'strict': 'steeper than null',
                                                   'verdict': 'reproduced'},
 'test_output_proximal[tiny-tiny-mamba2-64-cls]': {'expected': 'reproduced',
                                                   'numbers': 'slope +0.0101 [+0.0011, +0.0191]; '
                                                              'excess_slope +0.0104 [+0.0014, +0.0194]; '
                                                              'rel_slope +0.6197 [+0.2117, +1.0277]; '
                                                              'null_rel_slope -0.1534 [-0.4002, +0.0934]; '
                                                              'shape_excess +0.7731 [+0.3493, +1.1969]; '
                                                              'heldout_before 2.018; heldout_after 1.609; '
                                                              'mde 0.01124; p 0.04045; seeds 3; accuracy_min '
                                                              '0.2344',
                                                   'strict': 'not trained (held-out accuracy below 0.6)',
                                                   'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_output_proximal[tiny-tiny-neox-64-clm]': {'expected': 'reproduced',
                                                 'numbers': 'slope +0.0149 [+0.0106, +0.0191]; excess_slope '
                                                            '+0.0148 [+0.0106, +0.0190]; rel_slope +0.8189 '
                                                            '[+0.7213, +0.9164]; null_rel_slope +0.2829 '
                                                            '[+0.1497, +0.4160]; shape_excess +0.5360 '
                                                            '[+0.4563, +0.6157]; heldout_before 5.7; '
                                                            'heldout_after 5.57; mde 0.005326; p 0.004391; '
                                                            'seeds 3',
                                                 'strict': 'steeper than null',
                                                 'verdict': 'reproduced'},
 'test_output_proximal[tiny-tiny-neox-64-cls]': {'expected': 'reproduced',
                                                 'numbers': 'slope +0.0284 [-0.0088, +0.0657]; excess_slope '
                                                            '+0.0283 [-0.0090, +0.0656]; rel_slope +0.9527 '
                                                            '[+0.6487, +1.2568]; null_rel_slope +0.2934 '
                                                            '[+0.0616, +0.5251]; shape_excess +0.6594 '
                                                            '[+0.2558, +1.0629]; heldout_before 1.626; '
                                                            'heldout_after 1.576; mde 0.04642; p 0.08154; '
                                                            'seeds 3; accuracy_min 0.2031',
                                                 'strict': 'not trained (held-out accuracy below 0.6)',
                                                 'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_output_proximal[tiny-tiny-opt-64-clm]': {'expected': 'reproduced',
                                                'numbers': 'slope +0.0171 [+0.0083, +0.0260]; excess_slope '
                                                           '+0.0170 [+0.0080, +0.0260]; rel_slope +0.7633 '
                                                           '[+0.5858, +0.9409]; null_rel_slope +0.2522 '
                                                           '[+0.1107, +0.3937]; shape_excess +0.5111 '
                                                           '[+0.1967, +0.8256]; heldout_before 5.861; '
                                                           'heldout_after 5.753; mde 0.01106; p 0.01411; '
                                                           'seeds 3',
                                                'strict': 'steeper than null',
                                                'verdict': 'reproduced'},
 'test_output_proximal[tiny-tiny-opt-64-cls]': {'expected': 'reproduced',
                                                'numbers': 'slope +0.1419 [-0.0176, +0.3015]; excess_slope '
                                                           '+0.1417 [-0.0180, +0.3015]; rel_slope +0.7339 '
                                                           '[+0.4183, +1.0495]; null_rel_slope +0.1869 '
                                                           '[+0.0316, +0.3421]; shape_excess +0.5470 '
                                                           '[+0.1825, +0.9116]; heldout_before 1.632; '
                                                           'heldout_after 1.562; mde 0.1989; p 0.06198; '
                                                           'seeds 3; accuracy_min 0.2031',
                                                'strict': 'not trained (held-out accuracy below 0.6)',
                                                'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_output_proximal[tiny-tiny-rwkv-64-clm]': {'expected': 'reproduced',
                                                 'numbers': 'slope +0.0145 [+0.0106, +0.0184]; excess_slope '
                                                            '+0.0144 [+0.0105, +0.0183]; rel_slope +0.7506 '
                                                            '[+0.6072, +0.8941]; null_rel_slope +0.2521 '
                                                            '[+0.1266, +0.3775]; shape_excess +0.4986 '
                                                            '[+0.3740, +0.6232]; heldout_before 5.789; '
                                                            'heldout_after 5.622; mde 0.00492; p 0.003892; '
                                                            'seeds 3',
                                                 'strict': 'steeper than null',
                                                 'verdict': 'reproduced'},
 'test_output_proximal[tiny-tiny-rwkv-64-cls]': {'expected': 'reproduced',
                                                 'numbers': 'slope +0.0300 [+0.0083, +0.0516]; excess_slope '
                                                            '+0.0299 [+0.0081, +0.0516]; rel_slope +0.9385 '
                                                            '[+0.6921, +1.1848]; null_rel_slope +0.2711 '
                                                            '[+0.0417, +0.5006]; shape_excess +0.6673 '
                                                            '[+0.3275, +1.0072]; heldout_before 1.635; '
                                                            'heldout_after 1.589; mde 0.02698; p 0.02698; '
                                                            'seeds 3; accuracy_min 0.2344',
                                                 'strict': 'not trained (held-out accuracy below 0.6)',
                                                 'verdict': 'not trained (held-out accuracy below 0.6)'},
 'test_random_freezing_spread[real-smollm2-135m]': {'expected': 'reproduced',
                                                    'numbers': 'var_ratio +2.1870 [+0.5232, +9.1418]; '
                                                               'sd_selected 0.01164; sd_random 0.01722; '
                                                               'correlation 0.6276; heldout_selected 3.678; '
                                                               'heldout_random 3.668; selected '
                                                               '3-10-12-19-20-21-22-23-24-25-26-27-28-29-30; '
                                                               'draws 8; mde 8.141; p 0.2535; seeds 8; '
                                                               'further_from_doubling 0.2595',
                                                    'strict': 'not levelled off (twice the steps still lower '
                                                              'the held-out loss: train longer)',
                                                    'verdict': 'not levelled off (twice the steps still '
                                                               'lower the held-out loss: train longer)'},
 'test_random_freezing_spread[tiny-tiny-gpt2-64]': {'expected': 'reproduced',
                                                    'numbers': 'var_ratio +2.8264 [+1.0825, +7.3796]; '
                                                               'sd_selected 0.007111; sd_random 0.01196; '
                                                               'correlation 0.8666; heldout_selected 5.916; '
                                                               'heldout_random 5.909; selected 1-2-4; draws '
                                                               '5; mde 4.343; p 0.03721; seeds 8; '
                                                               'further_from_doubling 0.4807',
                                                    'strict': 'not levelled off (twice the steps still lower '
                                                              'the held-out loss: train longer)',
                                                    'verdict': 'not levelled off (twice the steps still '
                                                               'lower the held-out loss: train longer)'},
 'test_random_freezing_spread[tiny-tiny-llama-64]': {'expected': 'reproduced',
                                                     'numbers': 'var_ratio +0.7227 [+0.2068, +2.5255]; '
                                                                'sd_selected 0.01765; sd_random 0.015; '
                                                                'correlation 0.7442; heldout_selected 5.742; '
                                                                'heldout_random 5.741; selected 1-4-6; draws '
                                                                '5; mde 6.456; p 0.5716; seeds 8; '
                                                                'further_from_doubling 0.573',
                                                     'strict': 'not levelled off (twice the steps still '
                                                               'lower the held-out loss: train longer)',
                                                     'verdict': 'not levelled off (twice the steps still '
                                                                'lower the held-out loss: train longer)'},
 'test_scale_narrowing[tiny-sgd]': {'expected': 'reproduced',
                                    'numbers': 'gap_small 0.2709; gap_large 0.02136; abs_gap_change -0.2495 '
                                               '[-0.4088, -0.0903]; slope_tiny-gpt2-128 +0.0067 [+0.0051, '
                                               '+0.0083]; slope_tiny-neox-128 +0.0023 [+0.0019, +0.0027]; '
                                               'control_strength 0.4975; mde 0.002012; p 0.002695; seeds 3',
                                    'strict': 'gap narrows',
                                    'verdict': 'reproduced'},
 'test_semantic_freezing[real-smollm2-135m]': {'expected': 'reproduced',
                                               'numbers': 'selected '
                                                          '3-10-12-19-20-21-22-23-24-25-26-27-28-29-30; '
                                                          'margin_frac 0.1; excess_frac_of_all_blocks_gain '
                                                          '-0.0052 [-0.0509, +0.0405]; mde 0.05699; p 0.672; '
                                                          'selected_minus_random +0.0143 [+0.0016, +0.0271]; '
                                                          'heldout_before 3.982; heldout_all_blocks 3.671; '
                                                          'heldout_selected 3.669; selected_trainable_frac '
                                                          '0.5; selected_backward_frac 0.7261; '
                                                          'random_trainable_frac 0.5; random_backward_frac '
                                                          '0.7136; lr all_blocks 0.0001, selected 0.0003, '
                                                          'random 0.0003; seeds 3; further_from_doubling '
                                                          '0.2595',
                                               'strict': '',
                                               'verdict': 'not levelled off (twice the steps still lower the '
                                                          'held-out loss: train longer)'},
 'test_semantic_freezing[tiny-tiny-gpt2-64]': {'expected': 'reproduced',
                                               'numbers': 'selected 1-2-4; margin_frac 0.1; '
                                                          'excess_frac_of_all_blocks_gain +0.2586 [+0.0359, '
                                                          '+0.4813]; mde 0.2776; p 0.0378; '
                                                          'selected_minus_random +0.0085 [+0.0070, +0.0100]; '
                                                          'heldout_before 5.944; heldout_all_blocks 5.902; '
                                                          'heldout_selected 5.914; selected_trainable_frac '
                                                          '0.5; selected_backward_frac 0.9041; '
                                                          'random_trainable_frac 0.5; random_backward_frac '
                                                          '0.8244; lr all_blocks 0.001, selected 0.003, '
                                                          'random 0.003; seeds 3; further_from_doubling '
                                                          '0.4807',
                                               'strict': '',
                                               'verdict': 'not levelled off (twice the steps still lower the '
                                                          'held-out loss: train longer)'},
 'test_semantic_freezing[tiny-tiny-llama-64]': {'expected': 'reproduced',
                                                'numbers': 'selected 1-4-6; margin_frac 0.1; '
                                                           'excess_frac_of_all_blocks_gain +0.0458 [-0.2341, '
                                                           '+0.3257]; mde 0.3489; p 0.8515; '
                                                           'selected_minus_random -0.0007 [-0.0155, '
                                                           '+0.0140]; heldout_before 5.775; '
                                                           'heldout_all_blocks 5.725; heldout_selected '
                                                           '5.727; selected_trainable_frac 0.5; '
                                                           'selected_backward_frac 0.8419; '
                                                           'random_trainable_frac 0.5; random_backward_frac '
                                                           '0.7362; lr all_blocks 0.001, selected 0.003, '
                                                           'random 0.003; seeds 3; further_from_doubling '
                                                           '0.573',
                                                'strict': '',
                                                'verdict': 'not levelled off (twice the steps still lower '
                                                           'the held-out loss: train longer)'},
 'test_steepness_tracks_distance[tiny-tiny-bert-64]': {'expected': 'reproduced',
                                                       'numbers': 'spearman +1.0000 [+1.0000, +1.0000]; '
                                                                  'objectives mlm@0.15 D=6.55 slope=+0.0188, '
                                                                  'mlm@0.4 D=6.47 slope=+0.013, '
                                                                  'mlm/business@0.15 D=6.61 slope=+0.0238, '
                                                                  'mlm/python@0.15 D=7.38 slope=+0.35; mde '
                                                                  '0.97; p 0.08333; seeds 3',
                                                       'strict': '',
                                                       'verdict': 'inconclusive (underpowered: >= 5 '
                                                                  'objectives)'},
 'test_steepness_tracks_distance[tiny-tiny-gpt2-64]': {'expected': 'reproduced',
                                                       'numbers': 'spearman +1.0000 [+1.0000, +1.0000]; '
                                                                  'objectives clm D=5.91 slope=+0.0234, '
                                                                  'clm/business D=5.63 slope=+0.0161, '
                                                                  'clm/tech D=5.95 slope=+0.0293, clm/python '
                                                                  'D=8.33 slope=+0.322; mde 0.97; p 0.08333; '
                                                                  'seeds 3',
                                                       'strict': '',
                                                       'verdict': 'inconclusive (underpowered: >= 5 '
                                                                  'objectives)'},
 'test_steepness_tracks_distance[tiny-tiny-llama-64]': {'expected': 'reproduced',
                                                        'numbers': 'spearman +1.0000 [+1.0000, +1.0000]; '
                                                                   'objectives clm D=5.79 slope=+0.0212, '
                                                                   'clm/business D=5.5 slope=+0.0132, '
                                                                   'clm/tech D=5.83 slope=+0.0257, '
                                                                   'clm/python D=8.55 slope=+0.313; mde '
                                                                   '0.97; p 0.08333; seeds 3',
                                                        'strict': '',
                                                        'verdict': 'inconclusive (underpowered: >= 5 '
                                                                   'objectives)'},
 'test_steepness_tracks_distance[tiny-tiny-neox-64]': {'expected': 'reproduced',
                                                       'numbers': 'spearman +1.0000 [+1.0000, +1.0000]; '
                                                                  'objectives clm D=5.77 slope=+0.0149, '
                                                                  'clm/business D=5.39 slope=+0.011, '
                                                                  'clm/tech D=5.8 slope=+0.0217, clm/python '
                                                                  'D=8.21 slope=+0.229; mde 0.97; p 0.08333; '
                                                                  'seeds 3',
                                                       'strict': '',
                                                       'verdict': 'inconclusive (underpowered: >= 5 '
                                                                  'objectives)'},
 'test_train_shallow_freeze_deep[real-smollm2-135m]': {'expected': 'train first half best',
                                                       'numbers': 'first_minus_all_blocks +0.0000 [-0.0495, '
                                                                  '+0.0495]; first_minus_second -0.0751 '
                                                                  '[-0.1323, -0.0179]; heldout_all_blocks '
                                                                  '3.671; heldout_first_half 3.671; '
                                                                  'heldout_second_half 3.746; heldout_before '
                                                                  '3.982; forgetting_all_blocks -0.2079; '
                                                                  'forgetting_first_half -0.1464; '
                                                                  'forgetting_second_half -0.172; lr '
                                                                  'all_blocks 0.0001, first_half 0.0003, '
                                                                  'second_half 0.0003; mde 0.07133; p '
                                                                  '0.9998; seeds 3; further_from_doubling '
                                                                  '0.2595',
                                                       'strict': '',
                                                       'verdict': 'not levelled off (twice the steps still '
                                                                  'lower the held-out loss: train longer)'},
 'test_train_shallow_freeze_deep[tiny-tiny-gpt2-64]': {'expected': 'train first half best',
                                                       'numbers': 'first_minus_all_blocks +0.0094 [+0.0013, '
                                                                  '+0.0176]; first_minus_second +0.0026 '
                                                                  '[-0.0058, +0.0111]; heldout_all_blocks '
                                                                  '5.902; heldout_first_half 5.912; '
                                                                  'heldout_second_half 5.909; heldout_before '
                                                                  '5.944; forgetting_all_blocks 0.04931; '
                                                                  'forgetting_first_half 0.03852; '
                                                                  'forgetting_second_half 0.05535; lr '
                                                                  'all_blocks 0.001, first_half 0.001, '
                                                                  'second_half 0.003; mde 0.01054; p 0.3117; '
                                                                  'seeds 3; further_from_doubling 0.4807',
                                                       'strict': '',
                                                       'verdict': 'not levelled off (twice the steps still '
                                                                  'lower the held-out loss: train longer)'},
 'test_train_shallow_freeze_deep[tiny-tiny-llama-64]': {'expected': 'train first half best',
                                                        'numbers': 'first_minus_all_blocks +0.0133 [+0.0008, '
                                                                   '+0.0258]; first_minus_second +0.0108 '
                                                                   '[-0.0090, +0.0307]; heldout_all_blocks '
                                                                   '5.725; heldout_first_half 5.738; '
                                                                   'heldout_second_half 5.727; '
                                                                   'heldout_before 5.775; '
                                                                   'forgetting_all_blocks 0.04803; '
                                                                   'forgetting_first_half 0.07789; '
                                                                   'forgetting_second_half 0.06158; lr '
                                                                   'all_blocks 0.001, first_half 0.003, '
                                                                   'second_half 0.003; mde 0.02471; p '
                                                                   '0.1431; seeds 3; further_from_doubling '
                                                                   '0.573',
                                                        'strict': '',
                                                        'verdict': 'not levelled off (twice the steps still '
                                                                   'lower the held-out loss: train longer)'},
 'test_width_by_architecture[tiny]': {'expected': 'reproduced',
                                      'numbers': 'share_difference +0.2019 [-0.7856, +1.0000]; family_share '
                                                 '0.3824; objective_share 0.1805; family_chance 0.03203; '
                                                 'objective_chance 0.02951; mde 1.191; p 0.452; '
                                                 'families_needed 102; tau 0.02; runs 60; families 9; '
                                                 'objectives lm: clm, mlm@0.15 | cls: cls; accuracy_min '
                                                 '0.1875',
                                      'strict': '',
                                      'verdict': 'not trained (held-out accuracy below 0.6)'}}
